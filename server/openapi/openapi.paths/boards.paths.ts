/** Printed grid boards (网格公示牌): public, public fields only. */
import { gridCodePath, op, pathParam, REGION_CODE_SCHEMA, type Paths } from '../openapi.build.ts';

const download = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: { type: 'string', format: 'binary' } } },
});
const PUBLIC_FIELDS =
  'Public fields only, whoever asks: the grid workers’ names and published service phones, the party organisation’s name; no secretary, household figures or unpublished phones.';

export const boardsPaths: Paths = {
  '/api/grids/{code}/board.pdf': {
    get: op({
      tag: 'grids',
      zh: '网格公示牌（PDF）',
      en: `The grid's board, A4 portrait, Chinese font embedded, printable in black and white: map with neighbours, roads and compounds, grid workers, party organisation, the nearest stations and a QR code opening /find?grid=CODE (origin from PUBLIC_URL, else the request). ${PUBLIC_FIELDS}`,
      access: 'public',
      params: [gridCodePath],
      ok: { 200: download('application/pdf', 'The board') },
      errors: [404],
    }),
  },
  '/api/grids/{code}/board.png': {
    get: op({
      tag: 'grids',
      zh: '网格公示牌（PNG）',
      en: `The same board as a PNG, 1191 × 1684 pixels (about 144 dpi). ${PUBLIC_FIELDS}`,
      access: 'public',
      params: [gridCodePath],
      ok: { 200: download('image/png', 'The board') },
      errors: [404],
    }),
  },
  '/api/regions/{code}/boards.pdf': {
    get: op({
      tag: 'regions',
      zh: '社区全部网格公示牌（PDF）',
      en: `Every grid board of a community in one PDF, one page per grid in code order; 400 for a street or district. ${PUBLIC_FIELDS}`,
      access: 'public',
      params: [pathParam('code', '12-digit community code', REGION_CODE_SCHEMA)],
      ok: { 200: download('application/pdf', 'The boards') },
      errors: [404],
    }),
  },
};
