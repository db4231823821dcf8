/**
 * SQL lives in `*.queries.ts` (and migrations/): no other server file may hold SQL text. The
 * scan reads each file with a small lexer (comments skipped, string and template literals
 * collected, regex literals stepped over) and reports
 *   - an `sql` tagged template or an `sql.raw(…)`-style helper call in code, and
 *   - a string or template literal that reads as an SQL statement (upper-case keywords, as
 *     Wangge writes SQL) or calls a PostGIS function.
 * Prose in comments and messages ("Select a grid", "BEGIN to COMMIT") is not SQL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'server');

interface Finding {
  line: number;
  text: string;
}

/** Statements as a literal's whole text starts them. */
const STATEMENT_START =
  /^\s*(SELECT\s+\S|WITH\s+\w+\s+AS\s*\(|INSERT\s+INTO\b|UPDATE\s+\w+\s+SET\b|DELETE\s+FROM\b|(CREATE|DROP|ALTER)\s+(TABLE|INDEX|EXTENSION|SCHEMA|DATABASE|ROLE|VIEW|FUNCTION|TRIGGER|UNIQUE|OR)\b|SET\s+(LOCAL|SESSION|TRANSACTION|search_path|jit|statement_timeout)\b|(BEGIN|COMMIT|ROLLBACK)\s*;?\s*$|SAVEPOINT\s|RELEASE\s+SAVEPOINT\b|ANALYZE\b|VACUUM\b|TRUNCATE\s|LOCK\s+TABLE\b|EXPLAIN\s)/;
/** Statements or PostGIS calls anywhere in a literal. */
const STATEMENT_ANYWHERE =
  /\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+\w+\s+SET\b|\bST_[A-Z]\w*\s*\(|::(geography|geometry|float8|int|bigint|text\[\])\b/;
const SQL_TAG_BEFORE = /\bsql\s*(<[^`;]*>)?\s*$/;
const SQL_HELPER = /\bsql\s*\.\s*(raw|lit|id|ref|join|val|table)\s*\(/g;

export function findSqlText(source: string): Finding[] {
  const found: Finding[] = [];
  const lineAt = (i: number) => source.slice(0, i).split('\n').length;
  const report = (i: number, text: string) =>
    found.push({ line: lineAt(i), text: text.trim().split('\n')[0]!.slice(0, 100) });
  const checkLiteral = (start: number, text: string) => {
    if (STATEMENT_START.test(text) || STATEMENT_ANYWHERE.test(text)) report(start, text);
  };
  let code = ''; // the code seen so far, literals and comments left out
  let codeStart = 0;
  const flushCode = (end: number) => {
    const chunk = source.slice(codeStart, end);
    for (const m of chunk.matchAll(SQL_HELPER)) report(codeStart + m.index, m[0]);
    code += chunk;
  };
  // Template literals nest through `${ … }`: a stack of brace depths, one per open template.
  const templates: { depth: number; start: number; text: string; tagged: boolean }[] = [];
  let depth = 0;
  let i = 0;
  const n = source.length;
  const readTemplate = (from: number, t: { text: string }): number => {
    // Reads template text from `from` to the closing backtick or `${`; returns the index after it.
    let j = from;
    while (j < n) {
      const c = source[j]!;
      if (c === '\\') {
        t.text += source.slice(j, j + 2);
        j += 2;
        continue;
      }
      if (c === '`') return j + 1;
      if (c === '$' && source[j + 1] === '{') return j + 2;
      t.text += c;
      j++;
    }
    return j;
  };
  const closeOrOpen = (t: (typeof templates)[number], after: number) => {
    if (source[after - 1] === '`') {
      templates.pop();
      if (t.tagged) report(t.start, 'sql`' + t.text);
      else checkLiteral(t.start, t.text);
    } else {
      t.text += ' ? '; // a placeholder stands where the expression goes
      depth++;
      t.depth = depth;
    }
  };
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      flushCode(i);
      const end = source.indexOf('\n', i);
      i = end < 0 ? n : end;
      codeStart = i;
      continue;
    }
    if (c === '/' && next === '*') {
      flushCode(i);
      const end = source.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
      codeStart = i;
      continue;
    }
    if (c === "'" || c === '"') {
      flushCode(i);
      let j = i + 1;
      let text = '';
      while (j < n && source[j] !== c && source[j] !== '\n') {
        if (source[j] === '\\') {
          text += source.slice(j, j + 2);
          j += 2;
          continue;
        }
        text += source[j];
        j++;
      }
      checkLiteral(i, text);
      i = j + 1;
      codeStart = i;
      code += '""';
      continue;
    }
    if (c === '`') {
      flushCode(i);
      const t = { depth: 0, start: i, text: '', tagged: SQL_TAG_BEFORE.test(code) };
      templates.push(t);
      i = readTemplate(i + 1, t);
      closeOrOpen(t, i);
      codeStart = i;
      code += '``';
      continue;
    }
    if (c === '/' && /[(,=:[!&|?{};+\-*%<>~^]\s*$|^\s*$|\breturn\s*$/.test(code + source.slice(codeStart, i))) {
      // A regex literal: step over it (character classes may hold a slash).
      flushCode(i);
      let j = i + 1;
      let inClass = false;
      while (j < n && source[j] !== '\n') {
        const d = source[j]!;
        if (d === '\\') {
          j += 2;
          continue;
        }
        if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        j++;
      }
      i = j + 1;
      codeStart = i;
      code += '/r/';
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') {
      const t = templates[templates.length - 1];
      if (t && t.depth === depth) {
        flushCode(i);
        depth--;
        i = readTemplate(i + 1, t);
        closeOrOpen(t, i);
        codeStart = i;
        continue;
      }
      depth--;
    }
    i++;
  }
  flushCode(n);
  return found;
}

function serverFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return serverFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.queries.ts') ? [path] : [];
  });
}

describe('SQL lives in *.queries.ts', () => {
  it('catches planted SQL and leaves prose alone', () => {
    const DOLLAR = '$'; // planted template expressions, written so no string literal holds one
    const planted = [
      "import { sql } from 'kysely';",
      '// SELECT code FROM grids in a comment is prose',
      '/* BEGIN to COMMIT */',
      "const message = 'Select a grid, then DELETE it';",
      'const command = /^\\s*(INSERT|UPDATE|DELETE|SELECT)\\b/i;',
      'const a = sql`SELECT 1`;',
      'const b = sql<{ n: number }>`count(*)`;',
      "const c = 'SELECT code FROM grids WHERE id = $1';",
      'const d = `UPDATE drafts SET status = ' + DOLLAR + '{status}`;',
      "const e = sql.raw('x');",
      `const f = \`area ${DOLLAR}{x} m²: ${DOLLAR}{\`nested ${DOLLAR}{y}\`}\`;`,
      "await pool.query('SET LOCAL jit = off');",
      "const g = 'ST_Area(geom::geography)';",
    ].join('\n');
    expect(findSqlText(planted).map((f) => f.line)).toEqual([6, 7, 8, 9, 10, 12, 13]);
  });

  it('finds no SQL text in server files outside *.queries.ts', () => {
    const offenders = serverFiles(SERVER).flatMap((file) =>
      findSqlText(readFileSync(file, 'utf8')).map((f) => `${relative(ROOT, file)}:${f.line}: ${f.text}`),
    );
    expect(offenders, `move these statements into a *.queries.ts:\n${offenders.join('\n')}`).toEqual([]);
  });
});
