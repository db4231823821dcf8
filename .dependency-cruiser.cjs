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

/** A rule: modules matching `from` must not import modules matching `to`. */
const forbid = (name, comment, from, to, severity = 'error') => ({ name, comment, severity, from, to });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'geo-is-pure',
      'server/geo/ is pure geometry: no HTTP (throw a geo error; server/http/errors.ts maps it) and no database.',
      { path: '^server/geo/' },
      { path: [...HTTP, ...DATABASE] },
    ),
    forbid(
      'testing-only-from-composition-root',
      'server/testing/ (fault-injection hooks) is loaded only by the composition root, under WANGGE_TEST_HOOKS=1; ' +
        'production code calls the no-op hook interface in server/pause-points.ts.',
      { pathNot: [SERVER_ROOT, '^server/testing/', '^tests/'] },
      { path: '^server/testing/' },
    ),
    forbid(
      'server-not-to-data',
      'data/ is the demo generator and its output; only the composition roots pass its loader in as the seed.',
      { path: '^server/', pathNot: COMPOSITION_ROOTS },
      { path: '^data/' },
    ),
    forbid(
      'server-not-to-tools',
      'tools/ is the build and install tooling (client build stamp, postinstall); only the composition root ' +
        'starts the client build, for `npm start`.',
      { path: '^server/', pathNot: SERVER_ROOT },
      { path: '^tools/' },
    ),
    forbid(
      'common-is-shared',
      'common/ is imported by both sides, so it imports neither.',
      { path: '^common/' },
      { path: '^(server|client|data|tests|bench)/' },
    ),
    forbid(
      'client-not-to-server',
      'The browser bundle reaches the server over HTTP only; shared types and rules live in common/.',
      { path: '^client/', pathNot: '\\.test\\.ts$' },
      { path: '^(server|data)/' },
    ),
    forbid(
      'client-takes-contract-types-only',
      'The contracts are zod schemas; building one in the browser probes new Function(), which the CSP reports as a ' +
        'script-src eval violation. The client imports their types only; shared constants live in common/rules/.',
      { path: '^client/', pathNot: '\\.test\\.ts$' },
      { path: '^common/contracts/', dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'migrations-are-frozen',
      'A migration is frozen in time: it never imports application code that may change after it lands.',
      { path: '^migrations/' },
      { path: '^(server|common|client|data)/' },
    ),
    forbid(
      'server-not-to-dev-dep',
      'A production install (npm ci --omit=dev) has no devDependencies: server code that needs one at run time ' +
        'breaks there. Move the package to dependencies.',
      { path: '^(server|common)/' },
      { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'no-circular',
      'An import cycle: two modules that can only be understood (and loaded) together.',
      {},
      {
        circular: true,
      },
    ),
    forbid('not-to-unresolvable', 'An import that resolves to nothing.', {}, { couldNotResolve: true }),
    forbid(
      'no-non-package-json',
      'A package that package.json does not declare: it works only by accident of hoisting.',
      {},
      { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    ),
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
