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

const layerPatterns = (folder) => (layers[folder] ?? []).map((above) => ({
  group: [`**/${above}/*`, `**/${above}/**`], message: `${folder}/ may not import from ${above}/ (docs/architecture.md §1, layering)`,
}));

/**
 * The consumer kinds of projections/ (docs/adr/0013): a read model writes its own tables and acts on
 * nothing else; a reactor acts through commands and gets no SQL; the outbox publishes and gets no SQL nor
 * commands. Each kind's folder may not import the ports of the others' permissions.
 */
const port = (name, message) => ({ group: [`**/contracts/ports/${name}.ts`], message });
const kinds = {
  'projections/read-models': [
    port('task-commands', 'a read model issues no commands (that is a reactor, projections/reactors/)'),
    port('event-publisher', 'a read model publishes nothing (that is the outbox, projections/outbox/)'),
  ],
  'projections/reactors': [
    port('sql', 'a reactor writes no read model: it gets no SQL, only the command port'),
    port('event-publisher', 'a reactor publishes nothing (that is the outbox, projections/outbox/)'),
  ],
  'projections/outbox': [
    port('sql', 'the outbox writes no read model: it gets no SQL, only the publisher'),
    port('task-commands', 'the outbox issues no commands (that is a reactor, projections/reactors/)'),
  ],
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
  ...Object.keys(layers).map((folder) => ({
    files: [`${folder}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(folder) }] },
  })),
  // Rule options do not merge across configs: each kind's entry repeats the layering of projections/.
  ...Object.entries(kinds).map(([folder, forbidden]) => ({
    files: [`${folder}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...layerPatterns('projections'), ...forbidden] }] },
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
