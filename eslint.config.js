// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A folder may only import from folders below it (docs/architecture.md §1): domain ← contracts ← edges ← app. */
const layers = {
  domain: ['contracts', 'write-side', 'projections', 'read-api', 'gateways', 'app'],
  contracts: ['write-side', 'projections', 'read-api', 'gateways', 'app'],
  'write-side': ['projections', 'read-api', 'gateways', 'app'],
  projections: ['write-side', 'read-api', 'gateways', 'app'],
  'read-api': ['write-side', 'projections', 'gateways', 'app'],
  gateways: ['write-side', 'projections', 'read-api', 'app'],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'coverage/**', '.data/**', '.cache/**', '.ci/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', { selector: 'TSAsExpression > TSAsExpression', message: 'no double casts (as unknown as)' }],
    },
  },
  ...Object.entries(layers).map(([folder, forbidden]) => ({
    files: [`${folder}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((above) => ({ group: [`**/${above}/*`, `**/${above}/**`], message: `${folder}/ may not import from ${above}/ (docs/architecture.md §1, layering)` })),
      }],
    },
  })),
  // The web app talks to the server over HTTP only: its types come from the generated OpenAPI schema.
  {
    files: ['web/src/**/*.ts', 'web/src/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [...Object.keys(layers), 'app'].map((folder) => ({ group: [`**/${folder}/*`, `**/${folder}/**`], message: `web/src/ may not import from ${folder}/: use the API (web/src/api)` })),
      }],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
