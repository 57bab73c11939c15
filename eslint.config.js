// Lint: typescript-eslint's recommended rules on every package, test and script.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.tsbuild/**', '.nx/**', 'test/artifacts/**', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read env through core Env in config.ts.' },
      ],
    },
  },
  {
    // Config parsing, the test kit, tests, benchmarks and scripts may read the environment.
    files: ['**/config.ts', '**/run-adapter.ts', 'packages/testkit/**', '**/test/**', 'test/**', 'bench/**', 'scripts/**', '**/*.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
