// Lint rules, including the layer boundaries of STYLE.md: shared/ is pure, renderer/ never reaches Node or electron/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'https', 'net', 'url', 'util', 'stream', 'events', 'zlib', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins (STYLE.md).' },
          { group: ['electron', '**/electron/**', '**/renderer/**', 'react', 'react-dom', 'zustand', 'better-sqlite3', 'simple-git', '@kubernetes/*'], message: 'shared/ may not import I/O or UI layers.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: nodeBuiltins, message: 'renderer/ never imports Node modules; use the API bridge.' },
          { group: ['electron', '**/electron/**', 'better-sqlite3', 'simple-git', '@kubernetes/*'], message: 'renderer/ reaches the engine only through the typed API.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', 'bin/**/*.js', 'scripts/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
