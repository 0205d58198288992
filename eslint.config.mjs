import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

// The dependency rule (README "Folder layout"): a stage imports only core, config, telemetry and the
// shared plumbing (kafka/, http/), never another stage; core imports nothing internal; config and
// telemetry only core. Only the compositions — pipeline/ (the stream worker), apps/ (one wiring entry per
// application) and cli/ — may know several stages.
const STAGES = [
  'ingest',
  'codec',
  'batching',
  'inference',
  'language',
  'egress',
  'dlq',
  'alerts',
  'dashboard',
  'ops',
];
const COMPOSERS = ['pipeline', 'apps', 'cli'];
const INTERNAL = ['core', 'config', 'telemetry', 'kafka', 'http', ...STAGES, ...COMPOSERS];

function onlyMayImport(folder, allowed) {
  const forbidden = INTERNAL.filter((name) => name !== folder && !allowed.includes(name));
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((name) => ({
            regex: `^(\\.\\./)+${name}(/|$)`,
            message: `src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'nothing internal'} (the dependency rule in the README's "Folder layout"): ${name} is off limits here — stages meet only in src/pipeline.`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.services/',
      '.venv/',
      'models/',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  onlyMayImport('core', []),
  onlyMayImport('config', ['core']),
  onlyMayImport('telemetry', ['core']),
  onlyMayImport('kafka', ['core', 'config', 'telemetry']),
  onlyMayImport('http', ['core', 'config', 'telemetry']),
  ...STAGES.map((stage) => onlyMayImport(stage, ['core', 'config', 'telemetry', 'kafka', 'http'])),
);
