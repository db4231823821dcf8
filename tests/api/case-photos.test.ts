/**
 * Case photos over real HTTP on each driver: a resident's report and a staff transition as
 * multipart (the JSON in `case` / `transition`, files in `photo`), the photos stored re-encoded
 * with no EXIF (GPS included), served to the reporter with their token and to staff who may
 * read the case, 404 to everyone else; every bad photo a 4xx naming the field with nothing
 * written (cases, case_events and case_photos counted before and after).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { sql } from 'kysely';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  exifIfd0Tags,
  GPS_IFD_TAG,
  jpegWithGps,
  png,
  pngBomb,
  pngOver5MB,
  truncatedJpeg,
} from '../helpers/photo-fixtures.ts';

interface Reported {
  ticket: string;
  token: string;
  grid: { code: string; name: string } | null;
}
interface Tracked {
  timeline: { seq: number; action: string; photos: number[] }[];
}

type Part = { name: string; bytes: Buffer; filename?: string; type?: string };

for (const driver of DRIVERS) {
  describe(`case photos [${driver}]`, () => {
    let server: TestServer;
    let jpeg: Buffer;
    let plainPng: Buffer;
    let spot: { code: string; lon: number; lat: number };
    const http = httpClient(() => server.url);
    const db = () => server.database.db;

    const report = (lonLat = spot) => ({
      category: 'sanitation',
      description: '楼道里堆满了杂物',
      lon: lonLat.lon,
      lat: lonLat.lat,
    });

    const form = (jsonField: string, json: unknown, photos: Part[], extra: Record<string, string> = {}) => {
      const body = new FormData();
      if (json !== undefined) body.append(jsonField, typeof json === 'string' ? json : JSON.stringify(json));
      for (const [k, v] of Object.entries(extra)) body.append(k, v);
      for (const p of photos)
        body.append(
          p.name,
          new Blob([p.bytes as BlobPart], { type: p.type ?? 'image/jpeg' }),
          p.filename ?? 'photo.jpg',
        );
      return body;
    };
    const photo = (bytes: Buffer, filename = 'photo.jpg', type = 'image/jpeg'): Part => ({
      name: 'photo',
      bytes,
      filename,
      type,
    });

    const counts = async () => {
      const { rows } = await sql<{ cases: number; events: number; photos: number }>`
        SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events,
          (SELECT count(*) FROM case_photos)::int AS photos`.execute(db());
      return rows[0]!;
    };

    /** POSTs a multipart report; expects a refusal with `status`, returns the error, and checks nothing was written. */
    const refusedReport = async (body: FormData, status: number) => {
      const before = await counts();
      const res = await http.post('/api/public/cases', { raw: body });
      expect(res.status, res.text).toBe(status);
      expect(await counts()).toEqual(before);
      return res.body.error!;
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, config: { caseRateLimit: 0, publicRateLimit: 0 } });
      [jpeg, plainPng] = await Promise.all([jpegWithGps(), png()]);
      const { rows } = await sql<{ code: string; lon: number; lat: number }>`
        SELECT code, ST_X(p)::float8 AS lon, ST_Y(p)::float8 AS lat
        FROM (SELECT code, ST_PointOnSurface(geom) AS p FROM grids ORDER BY code LIMIT 1) g`.execute(db());
      spot = rows[0]!;
      await http.login('admin');
      await http.login('planner');
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('a report with photos', () => {
      let reported: Reported;
      let ids: number[];

      beforeAll(async () => {
        const res = await http.post<Reported>('/api/public/cases', {
          raw: form('case', report(), [photo(jpeg), photo(plainPng, 'renamed.jpg', 'image/jpeg')]),
        });
        expect(res.status, res.text).toBe(201);
        reported = res.body;
        const tracked = await http.get<Tracked>(
          `/api/public/cases/${reported.ticket}?token=${encodeURIComponent(reported.token)}`,
        );
        expect(tracked.status).toBe(200);
        ids = tracked.body.timeline[0]!.photos;
      });

      it('is routed as JSON would be and keeps both photos with the report event', async () => {
        expect(reported.grid?.code).toBe(spot.code);
        expect(ids).toHaveLength(2);
        const rows = await db()
          .selectFrom('case_photos as p')
          .innerJoin('cases as c', 'c.id', 'p.case_id')
          .select(['p.mime', 'p.width', 'p.height', 'p.event_seq'])
          .where('c.ticket', '=', reported.ticket)
          .orderBy('p.id')
          .execute();
        expect(rows).toEqual([
          { mime: 'image/jpeg', width: 300, height: 400, event_seq: 1 },
          { mime: 'image/png', width: 120, height: 80, event_seq: 1 },
        ]);
      });

      it('serves the JPEG to the reporter upright, re-encoded, without EXIF or GPS', async () => {
        expect(exifIfd0Tags((await sharp(jpeg).metadata()).exif!)).toContain(GPS_IFD_TAG);
        const res = await http.fetch(
          'GET',
          `/api/public/cases/${reported.ticket}/photos/${ids[0]}?token=${encodeURIComponent(reported.token)}`,
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/jpeg');
        expect(res.headers.get('cache-control')).toMatch(/^private/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        const bytes = Buffer.from(await res.arrayBuffer());
        const meta = await sharp(bytes).metadata();
        expect([meta.format, meta.width, meta.height, meta.exif, meta.xmp]).toEqual([
          'jpeg',
          300,
          400,
          undefined,
          undefined,
        ]);
        expect(bytes.includes(Buffer.from('WanggePhone'))).toBe(false);
      });

      it('serves a PNG named .jpg as the PNG it is', async () => {
        const res = await http.fetch(
          'GET',
          `/api/public/cases/${reported.ticket}/photos/${ids[1]}?token=${encodeURIComponent(reported.token)}`,
        );
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toBe('image/png');
        expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).format).toBe('png');
      });

      it('is 404 with a wrong token, no token, another ticket or an unknown id', async () => {
        const other = await http.post<Reported>('/api/public/cases', { body: report() });
        expect(other.status).toBe(201);
        const wrong = [
          `/api/public/cases/${reported.ticket}/photos/${ids[0]}?token=${encodeURIComponent(other.body.token)}`,
          `/api/public/cases/${reported.ticket}/photos/${ids[0]}`,
          `/api/public/cases/${other.body.ticket}/photos/${ids[0]}?token=${encodeURIComponent(other.body.token)}`,
          `/api/public/cases/${reported.ticket}/photos/99999999?token=${encodeURIComponent(reported.token)}`,
          `/api/public/cases/${reported.ticket}/photos/x1?token=${encodeURIComponent(reported.token)}`,
        ];
        for (const path of wrong) {
          const res = await http.get(path);
          expect([path, res.status, res.body.error?.code]).toEqual([path, 404, 'not_found']);
        }
      });

      it('serves staff who may read the case, and nobody else', async () => {
        const { street_code: street } = await db()
          .selectFrom('cases')
          .select('street_code')
          .where('ticket', '=', reported.ticket)
          .executeTakeFirstOrThrow();
        const admin = await http.fetch('GET', `/api/cases/photos/${ids[1]}`, { as: 'admin' });
        expect([admin.status, admin.headers.get('content-type'), admin.headers.get('cache-control')]).toEqual([
          200,
          'image/png',
          'private, max-age=3600',
        ]);
        expect((await http.get(`/api/cases/photos/${ids[1]}`, { as: 'planner' })).status).toBe(404);
        expect((await http.get(`/api/cases/photos/${ids[1]}`)).status).toBe(401);
        const editorElsewhere = await db()
          .selectFrom('users')
          .select('username')
          .where('role', '=', 'editor')
          .where('street_code', '<>', street)
          .executeTakeFirst();
        expect(editorElsewhere).toBeDefined();
        await http.login(editorElsewhere!.username);
        expect((await http.get(`/api/cases/photos/${ids[1]}`, { as: editorElsewhere!.username })).status).toBe(404);
        const editorHere = await db()
          .selectFrom('users')
          .select('username')
          .where('role', '=', 'editor')
          .where('street_code', '=', street)
          .executeTakeFirstOrThrow();
        await http.login(editorHere.username);
        expect((await http.fetch('GET', `/api/cases/photos/${ids[0]}`, { as: editorHere.username })).status).toBe(200);
      });
    });

    describe('bad photos and bad forms write nothing', () => {
      it('a text file called photo.jpg', async () => {
        const error = await refusedReport(
          form('case', report(), [photo(plainPng), photo(Buffer.from('这不是照片, not a photo'))]),
          400,
        );
        expect(error).toMatchObject({
          code: 'unsupported_photo',
          param: 'photo[1]',
          message: 'photo[1]: not a JPEG, PNG or WebP image',
        });
      });

      it('a 6 MB image', async () => {
        const error = await refusedReport(
          form('case', report(), [photo(await pngOver5MB(), 'big.png', 'image/png')]),
          413,
        );
        expect(error).toMatchObject({ code: 'too_large', param: 'photo' });
        expect(error.message).toContain('5 MB');
      });

      it('a fourth photo', async () => {
        const error = await refusedReport(
          form(
            'case',
            report(),
            [1, 2, 3, 4].map(() => photo(plainPng)),
          ),
          400,
        );
        expect(error).toMatchObject({ code: 'too_many_photos', param: 'photo' });
      });

      it('a truncated JPEG', async () => {
        const error = await refusedReport(form('case', report(), [photo(await truncatedJpeg())]), 400);
        expect(error).toMatchObject({ code: 'invalid_photo', param: 'photo[0]' });
      });

      it('a PNG declaring 50,000 × 50,000 pixels', async () => {
        const error = await refusedReport(form('case', report(), [photo(pngBomb(), 'bomb.png', 'image/png')]), 400);
        expect(error).toMatchObject({ code: 'too_many_pixels', param: 'photo[0]' });
      });

      it('a missing or broken `case` field, an unknown field, a file in another field', async () => {
        expect(await refusedReport(form('case', undefined, [photo(plainPng)]), 400)).toMatchObject({ param: 'case' });
        expect(await refusedReport(form('case', '{"category":', [photo(plainPng)]), 400)).toMatchObject({
          code: 'invalid_json',
          param: 'case',
        });
        expect(await refusedReport(form('case', report(), [], { phone2: '1' }), 400)).toMatchObject({
          param: 'phone2',
        });
        expect(
          await refusedReport(form('case', report(), [{ name: 'image', bytes: plainPng, filename: 'a.png' }]), 400),
        ).toMatchObject({ param: 'image' });
      });

      it('good photos with a bad report (unknown category)', async () => {
        const error = await refusedReport(form('case', { ...report(), category: 'ufo' }, [photo(plainPng)]), 400);
        expect(error.param).toBe('category');
      });
    });

    it('a patrol report (巡查发现) takes photos as a resident’s does', async () => {
      const res = await http.post<{ id: number; grid: { code: string } | null }>('/api/cases', {
        as: 'admin',
        raw: form('case', report(), [photo(jpeg)]),
      });
      expect(res.status, res.text).toBe(201);
      expect(res.body.grid?.code).toBe(spot.code);
      const rows = await db()
        .selectFrom('case_photos')
        .select(['event_seq', 'mime', 'width', 'height'])
        .where('case_id', '=', String(res.body.id))
        .execute();
      expect(rows).toEqual([{ event_seq: 1, mime: 'image/jpeg', width: 300, height: 400 }]);
    });

    describe('a transition with photos', () => {
      let id: number;

      beforeAll(async () => {
        const res = await http.post<Reported>('/api/public/cases', { body: report() });
        expect(res.status).toBe(201);
        id = Number(
          (await db().selectFrom('cases').select('id').where('ticket', '=', res.body.ticket).executeTakeFirstOrThrow())
            .id,
        );
      });

      const etag = async () => {
        const res = await http.get(`/api/cases/${id}`, { as: 'admin' });
        expect(res.status).toBe(200);
        return res.etag!;
      };

      it('stores the photos with the transition’s event and shows them in the timeline', async () => {
        const res = await http.post(`/api/cases/${id}/transitions`, {
          as: 'admin',
          ifMatch: await etag(),
          raw: form('transition', { action: 'accept', comment: '已到现场' }, [photo(jpeg), photo(plainPng, 'b.png')]),
        });
        expect(res.status, res.text).toBe(200);
        const rows = await db()
          .selectFrom('case_photos')
          .select(['id', 'event_seq', 'mime'])
          .where('case_id', '=', String(id))
          .orderBy('id')
          .execute();
        expect(rows.map((r) => [r.event_seq, r.mime])).toEqual([
          [2, 'image/jpeg'],
          [2, 'image/png'],
        ]);
        const detail = await http.get<Tracked>(`/api/cases/${id}`, { as: 'admin' });
        expect(detail.body.timeline.find((e) => e.seq === 2)?.photos).toEqual(rows.map((r) => Number(r.id)));
        const served = await http.fetch('GET', `/api/cases/photos/${rows[0]!.id}`, { as: 'admin' });
        expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).exif).toBeUndefined();
      });

      it('an anonymous transition with photos is a 401 before its photos are read', async () => {
        const before = await counts();
        const res = await http.post(`/api/cases/${id}/transitions`, {
          raw: form('transition', { action: 'note', comment: '匿名' }, [photo(plainPng)]),
        });
        expect([res.status, res.body.error?.code]).toEqual([401, 'unauthorized']);
        expect(await counts()).toEqual(before);
      });

      it('a bad photo on a transition writes nothing and the case keeps its version', async () => {
        const before = await counts();
        const tag = await etag();
        const res = await http.post(`/api/cases/${id}/transitions`, {
          as: 'admin',
          ifMatch: tag,
          raw: form('transition', { action: 'note', comment: '补充' }, [photo(Buffer.from('GIF89a…'))]),
        });
        expect([res.status, res.body.error?.param]).toEqual([400, 'photo[0]']);
        expect(await counts()).toEqual(before);
        expect(await etag()).toBe(tag);
      });
    });
  });
}
