/**
 * `npm run propose -- --community CODE | --street CODE [--mode rebalance|fresh] [--seed N] [--json]`
 *
 * A grid proposal (智能划格, issue 19) for the published grids of a community or a street, as
 * POST /api/drafts/{id}/proposals computes it for a draft: the summary in Chinese and English
 * lines, or with --json the summary, problems and proposed grids (without outlines). Nothing
 * is written. Exit status: 0 computed, 2 bad arguments or an unknown region.
 * Uses the configured database (DATABASE_URL, else the embedded one in DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { failWithUsage } from '../cli-usage.ts';
import { ProposalRequest } from '../../common/contracts/proposals.ts';

const USAGE = 'usage: npm run propose -- --community CODE | --street CODE [--mode rebalance|fresh] [--seed N] [--json]';

const fail: (message: string) => never = failWithUsage(USAGE);

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        community: { type: 'string' },
        street: { type: 'string' },
        mode: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();

if (values.seed !== undefined && !/^[0-9]{1,10}$/.test(values.seed)) fail('--seed must be a whole number ≥ 0');
// The same rules as the API's body: one of community or street, a known mode, a seed in range.
const parsed = ProposalRequest.safeParse({
  community: values.community,
  street: values.street,
  mode: values.mode,
  seed: values.seed === undefined ? undefined : Number(values.seed),
});
if (!parsed.success) {
  const issue = parsed.error.issues[0]!;
  fail(`--${issue.path.join('.') || 'community'}: ${issue.message}`);
}
const request = parsed.data;

// The database drivers load only once the arguments are good: a typo fails at once.
const [
  { runCli },
  { proposeGrids },
  { regionHeader },
  { householdBoundsSetting },
  { boundsFor },
  { summaryLines, summaryJson },
  { HttpError },
] = await Promise.all([
  import('../cli.ts'),
  import('./propose.ts'),
  import('../regions/regions.queries.ts'),
  import('../settings/household-bounds.queries.ts'),
  import('../../common/rules/household-band.ts'),
  import('./summary-lines.ts'),
  import('../http/errors.ts'),
]);

await runCli('propose', async (database, log) => {
  const level = request.community !== undefined ? 'community' : 'street';
  const code = (request.community ?? request.street)!;
  const region = await regionHeader(database.db, code);
  if (!region) throw new HttpError(404, 'not_found', `${level} "${code}" does not exist`);
  if (region.level !== level) throw new HttpError(400, 'invalid_parameter', `--${level}: ${code} is a ${region.level}`);
  const proposal = await proposeGrids(
    database.db,
    {
      draftId: null,
      scope: { level, code },
      mode: request.mode,
      seed: request.seed,
      bounds: boundsFor(await householdBoundsSetting(database.db), code),
    },
    (done, total) => log(`${done}/${total} communities`),
  );
  if (values.json) console.log(JSON.stringify(summaryJson(proposal), null, 1));
  else for (const line of summaryLines(proposal)) console.log(line);
  return 0;
});
