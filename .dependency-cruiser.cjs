/**
 * Import boundaries, checked by `npm run lint` (depcruise). Folder patterns, not file lists, so
 * the rules keep holding as files move between domains. Why each boundary exists: STYLE.md,
 * "Lessons" (pure folders stay pure; production code never imports test hooks; a tool
 * enforces the boundaries, not review). tests/unit/boundaries.test.ts shows a rule failing.
 */

/** The process entry points that compose the app (`npm start`, the command-line tools): the only server files that name data/. */
const COMPOSITION_ROOTS = '^server/(main|cli)\\.ts$';
/** The server's composition root, the only file that loads the test hooks. */
const SERVER_ROOT = '^server/main\\.ts$';
/** Database access: our driver layer and the client libraries under it. */
const DATABASE = ['^server/db/', '(^|/)node_modules/(kysely|pg|pg-[^/]+|@electric-sql/pglite[^/]*)/'];
const HTTP = ['^server/http/', '(^|/)node_modules/(express|multer|helmet|express-rate-limit)/'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'geo-is-pure',
      comment:
        'server/geo/ is pure geometry: no HTTP (throw a geo error; server/http/errors.ts maps it) and no database.',
      severity: 'error',
      from: { path: '^server/geo/' },
      to: { path: [...HTTP, ...DATABASE] },
    },
    {
      name: 'testing-only-from-composition-root',
      comment:
        'server/testing/ (fault-injection hooks) is loaded only by the composition root, under WANGGE_TEST_HOOKS=1; ' +
        'production code calls the no-op hook interface in server/pause-points.ts.',
      severity: 'error',
      from: { pathNot: [SERVER_ROOT, '^server/testing/', '^tests/'] },
      to: { path: '^server/testing/' },
    },
    {
      name: 'server-not-to-data',
      comment: 'data/ is the demo generator and its output; only the composition roots pass its loader in as the seed.',
      severity: 'error',
      from: { path: '^server/', pathNot: COMPOSITION_ROOTS },
      to: { path: '^data/' },
    },
    {
      name: 'common-is-shared',
      comment: 'common/ is imported by both sides, so it imports neither.',
      severity: 'error',
      from: { path: '^common/' },
      to: { path: '^(server|client|data|tests|bench)/' },
    },
    {
      name: 'client-not-to-server',
      comment: 'The browser bundle reaches the server over HTTP only; shared types and rules live in common/.',
      severity: 'error',
      from: { path: '^client/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(server|data)/' },
    },
    {
      name: 'migrations-are-frozen',
      comment: 'A migration is frozen in time: it never imports application code that may change after it lands.',
      severity: 'error',
      from: { path: '^migrations/' },
      to: { path: '^(server|common|client|data)/' },
    },
    {
      name: 'server-not-to-dev-dep',
      comment:
        'A production install (npm ci --omit=dev) has no devDependencies: server code that needs one at run time ' +
        'breaks there. Move the package to dependencies (a warning until @turf/turf in geo/points-in-polygons.ts is).',
      severity: 'warn',
      from: { path: '^(server|common)/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      comment: 'An import cycle: two modules that can only be understood (and loaded) together.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'A package that package.json does not declare: it works only by accident of hoisting.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    // Type-only imports count: a cycle through types is still two files that belong together.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
