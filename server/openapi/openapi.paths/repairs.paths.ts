/** Repairs in a draft and allowed gaps (issue 15, ADR 0013). */
import {
  AllowGapBody,
  RemoveExceptionBody,
  RepairBatchBody,
  RepairOneBody,
  RepairResponse,
  TilingException,
  TilingExceptionList,
} from '../../../common/contracts/repairs.ts';
import {
  draftIdPath,
  fromZod,
  json,
  jsonBody,
  numberPath,
  op,
  queryParam,
  ref,
  REGION_CODE_SCHEMA,
  type Paths,
} from '../openapi.build.ts';

const exception = ref(TilingException);

export const repairPaths: Paths = {
  '/api/drafts/{id}/repairs': {
    post: op({
      tag: 'editing',
      zh: '修复 / 批量修复',
      access: 'writer',
      en: '`{problem, to?}`: give a gap, overlap or sliver of the draft to the neighbour with the longest shared edge (or `to`, which must border or cover it: else 422). `{region, maxAreaM2}`: every one up to that area whose point lies in the region (a region code or a GeoJSON polygon), smallest first, each skipped with its reason when it cannot be done. One `repair` changeset; a repair that would create a problem is refused (409, nothing written). No If-Match: the problem id names the state.',
      params: [draftIdPath],
      body: jsonBody({ oneOf: [fromZod(RepairOneBody), fromZod(RepairBatchBody)] }),
      ok: { 200: json(ref(RepairResponse)) },
      errors: [404, 409, 422],
    }),
  },
  '/api/validation/exceptions': {
    get: op({
      tag: 'validation',
      zh: '允许的缝隙（含已撤销的记录）',
      en: 'Allowed gaps of the communities under a region, active and removed (who, when, why).',
      access: 'user',
      params: [queryParam('region', 'Region code', REGION_CODE_SCHEMA)],
      ok: { 200: json(ref(TilingExceptionList)) },
    }),
    post: op({
      tag: 'validation',
      zh: '标为允许的缝隙',
      en: 'Mark a gap as intended (a river, a rail yard), by its problem id or by drawing the area, with a reason. Admins only.',
      access: 'admin',
      body: jsonBody(fromZod(AllowGapBody)),
      ok: { 201: json(exception, 'Created') },
      errors: [404, 422],
    }),
  },
  '/api/validation/exceptions/{id}': {
    delete: op({
      tag: 'validation',
      zh: '撤销允许的缝隙',
      en: 'Remove the mark; the record stays with who removed it, when and why. Admins only.',
      access: 'admin',
      params: [numberPath('id', 'Exception number')],
      body: jsonBody(fromZod(RemoveExceptionBody)),
      ok: { 200: json(exception) },
      errors: [404, 409],
    }),
  },
};
