import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import processBoundaries from './eslint/process-boundaries.js';

export default tseslint.config(
  {
    ignores: ['node_modules/', '.vite/', 'dist/', 'out/', 'test-results/', 'playwright-report/', '.test-reports/', 'test/fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { paddock: { rules: { 'process-boundaries': processBoundaries } } },
    rules: {
      'paddock/process-boundaries': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='ipcRenderer'][property.name='sendSync']", message: 'Synchronous IPC blocks the renderer.' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/web-host/bridge-client.ts', 'test/web-host/tray-client.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The preload must never hand the renderer Electron's raw objects.
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='exposeInMainWorld'] > Identifier[name='ipcRenderer']",
          message: 'Expose window.paddock only, never ipcRenderer.',
        },
      ],
    },
  },
);
