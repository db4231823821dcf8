/** Case statistics and the 台账 (issue 18): numbers for any region and period, no personal data. */
import { CaseStats } from '../../../common/contracts/cases.ts';
import { op, queryParam, ref, json, type Paths } from '../openapi.build.ts';

const params = [
  queryParam(
    'region',
    'A 12-digit region code (district, street or community) or a 15-digit grid code',
    { type: 'string', pattern: '^([0-9]{12}|[0-9]{15})$', examples: ['131002000000'] },
    true,
  ),
  queryParam('from', 'First Beijing date of the period, inclusive (default: 364 days before `to`)', {
    type: 'string',
    format: 'date',
  }),
  queryParam('to', 'Last Beijing date of the period, inclusive (default: today in Beijing)', {
    type: 'string',
    format: 'date',
  }),
];

export const caseStatsPaths: Paths = {
  '/api/cases/stats': {
    get: op({
      tag: 'cases',
      zh: '案件统计',
      en: '受理数, 办结数, 办结率 = 办结/受理, 按期办结率 = 按期办结/应办结 (closed plus open past due), 满意率 = (满意 + 基本满意)/评价数, the average hours from acceptance to closing and the open cases overdue now, for the cases reported in the period; by category, channel, child region, grid and grid worker, with a monthly trend. Read from summaries kept by a row trigger (whole months and the days around them), so a district-year of a million cases answers in well under a second. No personal data: planners read it too.',
      access: 'user',
      params,
      ok: { 200: json(ref(CaseStats)) },
      errors: [404],
    }),
  },
  '/api/reports/cases.xlsx': {
    get: op({
      tag: 'reports',
      zh: '案件台账（Excel）',
      en: 'The cases reported in the period, one row a case (工单号, 类别, 渠道, times, grid, community, street, state, way of handling, 是否按期, 评价 — no phone, description or address), and a sheet 统计 with the totals and one row per child region. Streamed.',
      access: 'user',
      params,
      ok: {
        200: {
          description: 'The workbook',
          content: {
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
          },
        },
      },
      errors: [404],
    }),
  },
};
