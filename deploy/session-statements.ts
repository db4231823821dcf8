/**
 * Statements that need a PostgreSQL session of their own and so break under pgbouncer's
 * transaction pooling, where each transaction may run on a different server connection:
 * session advisory locks, LISTEN, session-level SET, named prepared statements, cursors WITH
 * HOLD, temporary tables that outlive their transaction. tests/unit/pgbouncer-safe.test.ts
 * runs this over the code that talks to the database and expects nothing.
 */
export interface SessionStatement {
  rule: string;
  line: number;
  text: string;
}

const RULES: { rule: string; pattern: RegExp }[] = [
  // pg_advisory_xact_lock is released at COMMIT: fine. The session kinds are not.
  { rule: 'session advisory lock', pattern: /\bpg_(try_)?advisory_(lock|unlock|unlock_all)(_shared)?\b/g },
  // Upper-case SQL keywords (the house style), or any case at the start of a query string.
  { rule: 'LISTEN/UNLISTEN', pattern: /\b(UN)?LISTEN\s+[a-z_"*]|[`'"]\s*(un)?listen\s/g },
  // SET LOCAL, SET TRANSACTION and SET CONSTRAINTS end with the transaction; UPDATE … SET is data.
  {
    rule: 'session-level SET',
    pattern: /(?<!\bUPDATE\b[^;`]*)\bSET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)(SESSION\s+)?[a-z_.]+\s*(=|TO\b)/g,
  },
  { rule: 'set_config(…, false) (session-wide)', pattern: /\bset_config\s*\([^)]*,\s*false\s*\)/gi },
  {
    rule: 'named prepared statement',
    pattern: /\bPREPARE\s+[a-z_]+|[`'"]\s*prepare\s+[a-z_]+|\bname:\s*['"`][^'"`]+['"`]\s*,\s*text:/g,
  },
  { rule: 'cursor WITH HOLD', pattern: /\bWITH\s+HOLD\b/gi },
  {
    rule: 'temporary table kept past COMMIT',
    pattern: /\bCREATE\s+TEMP(ORARY)?\s+TABLE\b(?![^;`]*\bON\s+COMMIT\s+DROP\b)/gi,
  },
];

/** Every statement in `text` that needs a session, with its line number. */
export function findSessionStatements(text: string): SessionStatement[] {
  const found: SessionStatement[] = [];
  for (const { rule, pattern } of RULES) {
    for (const match of text.matchAll(pattern)) {
      const line = text.slice(0, match.index).split('\n').length;
      found.push({ rule, line, text: text.split('\n')[line - 1]!.trim() });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}
