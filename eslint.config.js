// ESLint flat config: a small rule set, each rule chosen for a bug class this codebase can have, on top of what
// `tsc --strict` already checks. Style is prettier's job (`npm run format`), layering is dependency-cruiser's
// (`npm run lint:layers`), dead code knip's (`npm run knip`). docs/contributing.md explains the choices.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'extensions/**/node_modules/'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection kills the process) and its ordering
      // (a write that lands after the job finished). Mark a deliberate fire-and-forget with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      // An async function where a void callback is expected (an EventEmitter listener, a setTimeout callback)
      // rejects into nowhere. Express 5 awaits async handlers, so arguments passed to it are allowed.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
      // `await` on something that is not a promise hides a missing call or a wrong type.
      '@typescript-eslint/await-thenable': 'error',
      // Type-only imports are erased (verbatimModuleSyntax): saying so keeps runtime import graphs, and the
      // layering check, honest.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Dead variables and parameters hide bugs (a value computed and never used); `_name` marks a deliberate one.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // `==` coerces ("45000" == 45000): HubSpot sends numbers as strings, so a coercing comparison is a bug
      // waiting. `== null` (null or undefined) stays allowed.
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
);
