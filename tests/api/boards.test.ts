/**
 * Printed grid boards (网格公示牌) over real HTTP on each driver: the PDF is rendered with
 * poppler's pdftoppm and its QR code read back with jsQR; its text (pdftotext) names the
 * grid and its worker and nothing private; the PNG decodes with a readable QR; a
 * community's PDF has one page per grid. Known values are planted in the demo grid first, so
 * "not printed" is checked against numbers that would be found if they were.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

const PUBLISHED = '13512340001';
const UNPUBLISHED = '13698765432';
const UNPUBLISHED_MASKED = '136****5432';
const SECRETARY = '测试书记甲';
const BUILDING_HEAD = '测试楼长乙';
const HOUSEHOLDS = 4873;
const POPULATION = 9871;

interface Decoded {
  width: number;
  height: number;
  qr: string | undefined;
  /** Every pixel has r = g = b (within 2): it prints the same on a black-and-white printer. */
  grey: boolean;
}

function decodePng(png: Buffer): Decoded {
  const image = PNG.sync.read(png);
  const data = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length);
  let grey = true;
  for (let i = 0; i < data.length && grey; i += 4) {
    const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
    if (Math.abs(r - g) > 2 || Math.abs(g - b) > 2) grey = false;
  }
  return { width: image.width, height: image.height, qr: jsQR(data, image.width, image.height)?.data, grey };
}

for (const driver of DRIVERS) {
  describe(`printed grid boards [${driver}]`, () => {
    let server: TestServer;
    let dir: string;
    let grid: { code: string; name: string; community_code: string; community_name: string };
    let worker: string;
    let partTime: string;
    const db = () => server.database.db;

    /** Writes the body to a file and runs a poppler tool on it. */
    const poppler = (pdf: Buffer, tool: string, args: string[]): string => {
      const file = join(dir, `b${Math.random().toString(36).slice(2)}.pdf`);
      writeFileSync(file, pdf);
      return execFileSync(tool, [...args, file, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
    };
    const pdfPagePng = (pdf: Buffer, page: number): Buffer => {
      const file = join(dir, `p${Math.random().toString(36).slice(2)}.pdf`);
      writeFileSync(file, pdf);
      const out = join(dir, `p${page}`);
      execFileSync('pdftoppm', ['-r', '150', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, out]);
      return readFileSync(`${out}.png`);
    };
    const get = async (path: string, cookie?: string) => {
      const res = await httpClient(server.url).fetch('GET', path, { cookie });
      return {
        status: res.status,
        type: res.headers.get('content-type') ?? '',
        bytes: Buffer.from(await res.arrayBuffer()),
      };
    };

    beforeAll(async () => {
      server = await startTestServer({ driver });
      dir = mkdtempSync(join(tmpdir(), 'wangge-boards-'));
      const { rows } = await sql<typeof grid>`
        SELECT g.code, g.name, g.community_code, c.name AS community_name
        FROM grids g JOIN regions c ON c.code = g.community_code
        WHERE EXISTS (SELECT 1 FROM org_grids og WHERE og.grid_code = g.code)
          AND EXISTS (SELECT 1 FROM grid_workers w WHERE w.grid_code = g.code AND w.role = 'full_time')
        ORDER BY g.code LIMIT 1`.execute(db());
      grid = rows[0]!;
      // Plant the values a leak would print: a published and an unpublished phone, a secretary,
      // a building head and household figures nowhere else in the demo.
      const full = await db()
        .updateTable('grid_workers')
        .set({ phone: PUBLISHED, phone_public: true })
        .where('id', '=', (eb) =>
          eb
            .selectFrom('grid_workers')
            .select((e) => e.fn.min('id').as('id'))
            .where('grid_code', '=', grid.code)
            .where('role', '=', 'full_time'),
        )
        .returning('name')
        .executeTakeFirstOrThrow();
      worker = full.name;
      partTime = '测试兼职丙';
      await db()
        .insertInto('grid_workers')
        .values([
          { name: partTime, phone: UNPUBLISHED, phone_public: false, role: 'part_time', grid_code: grid.code },
          {
            name: BUILDING_HEAD,
            phone: '13722223333',
            phone_public: false,
            role: 'building_head',
            grid_code: grid.code,
          },
        ])
        .execute();
      await db()
        .updateTable('party_orgs')
        .set({ secretary_name: SECRETARY })
        .where('code', 'in', (eb) => eb.selectFrom('org_grids').select('org_code').where('grid_code', '=', grid.code))
        .execute();
      await db()
        .updateTable('grids')
        .set({ households: HOUSEHOLDS, population: POPULATION })
        .where('code', '=', grid.code)
        .execute();
    });
    afterAll(async () => {
      await server?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const expectPublicOnly = (text: string) => {
      const flat = text.replace(/\s+/g, '');
      expect(flat).toContain('网格公示牌');
      expect(flat).toContain(grid.name);
      expect(flat).toContain(grid.community_name);
      expect(flat).toContain(worker);
      expect(flat).toContain(partTime);
      expect(flat).toContain(PUBLISHED);
      expect(flat).toContain('扫码查看本网格');
      for (const secret of [
        UNPUBLISHED,
        UNPUBLISHED_MASKED,
        SECRETARY,
        BUILDING_HEAD,
        String(HOUSEHOLDS),
        String(POPULATION),
        '户数',
      ])
        expect(flat, secret).not.toContain(secret);
    };

    it('prints an A4 PDF with the font embedded, public fields only, and a QR code that opens the finder', async () => {
      const res = await get(`/api/grids/${grid.code}/board.pdf`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/pdf/);
      expect(res.bytes.subarray(0, 5).toString()).toBe('%PDF-');
      const info = poppler(res.bytes, 'pdfinfo', []);
      expect(info).toMatch(/Pages:\s+1\n/);
      expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
      const fonts = poppler(res.bytes, 'pdffonts', []).trim().split('\n').slice(2);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/NotoSans.*\byes\s+yes\s+yes\b/); // embedded, subset, unicode
      expectPublicOnly(poppler(res.bytes, 'pdftotext', ['-layout']));
      const page = decodePng(pdfPagePng(res.bytes, 1));
      expect(page.qr).toBe(`${server.url}/find?grid=${grid.code}`);
      expect(page.grey).toBe(true);
    });

    it('gives signed-in staff the same public board (a board is posted on a wall)', async () => {
      const cookie = await httpClient(server.url).login('admin');
      const res = await get(`/api/grids/${grid.code}/board.pdf`, cookie);
      expect(res.status).toBe(200);
      expectPublicOnly(poppler(res.bytes, 'pdftotext', []));
    });

    it('renders the same board as a PNG with a readable QR code, in greys only', async () => {
      const res = await get(`/api/grids/${grid.code}/board.png`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^image\/png/);
      const png = decodePng(res.bytes);
      expect([png.width, png.height]).toEqual([1191, 1684]);
      expect(png.qr).toBe(`${server.url}/find?grid=${grid.code}`);
      expect(png.grey).toBe(true);
    });

    it('points the QR code at PUBLIC_URL when it is configured', async () => {
      server.config.publicUrl = 'https://wangge.example.cn';
      try {
        const res = await get(`/api/grids/${grid.code}/board.png`);
        expect(decodePng(res.bytes).qr).toBe(`https://wangge.example.cn/find?grid=${grid.code}`);
      } finally {
        server.config.publicUrl = undefined;
      }
    });

    it("prints a community's boards in one PDF, one page per grid in code order", async () => {
      const codes = (
        await db()
          .selectFrom('grids')
          .select(['code', 'name'])
          .where('community_code', '=', grid.community_code)
          .orderBy('code')
          .execute()
      ).map((g) => g);
      const res = await get(`/api/regions/${grid.community_code}/boards.pdf`);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^application\/pdf/);
      expect(poppler(res.bytes, 'pdfinfo', [])).toMatch(new RegExp(`Pages:\\s+${codes.length}\\n`));
      const pages = poppler(res.bytes, 'pdftotext', []).split('\f');
      for (const [i, g] of codes.entries()) {
        const text = pages[i]!.replace(/\s+/g, '');
        expect(text).toContain(g.code);
        expect(text).toContain(g.name);
      }
      const last = decodePng(pdfPagePng(res.bytes, codes.length));
      expect(last.qr).toBe(`${server.url}/find?grid=${codes.at(-1)!.code}`);
    });

    it('answers 404 JSON for an unknown grid or community, 400 for a malformed code or a street', async () => {
      const client = httpClient(server.url);
      for (const path of ['/api/grids/131002999999999/board.pdf', '/api/grids/131002999999999/board.png']) {
        const res = await client.get(path);
        expect(res.status, path).toBe(404);
        expect(res.body.error?.code).toBe('not_found');
      }
      const malformed = await client.get('/api/grids/12ab/board.pdf');
      expect(malformed.status).toBe(400);
      expect(malformed.body.error?.param).toBe('code');
      expect((await client.get('/api/regions/131002999999/boards.pdf')).status).toBe(404);
      const street = `${grid.community_code.slice(0, 9)}000`;
      const notCommunity = await client.get(`/api/regions/${street}/boards.pdf`);
      expect(notCommunity.status).toBe(400);
      expect(notCommunity.body.error?.message).toMatch(/community/);
    });
  });
}
