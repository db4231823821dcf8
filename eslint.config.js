/**
 * ESLint: rules that catch bugs, none about layout (Prettier owns that). Not type-aware: on the
 * 2-core box type information cost 45–60 s of CPU for the tree (33 s for server/ alone) against
 * 13 s without, and its extra finding (no-floating-promises) hit only MapLibre's setData in the
 * client; tsc --noEmit already checks types. Import boundaries are in .dependency-cruiser.cjs.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'var/', 'data/city/', 'data/city-*/', 'test-results/'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.cjs'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
      'no-useless-assignment': 'error',
      'no-throw-literal': 'error',
      // `cond ? a() : b()` and `x && f()` as statements are idioms here, not forgotten expressions.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests walk untyped JSON (the OpenAPI document, GeoJSON answers); `any` there is a choice, not a slip.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The CommonJS config files (dependency-cruiser reads .cjs) run in Node.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
