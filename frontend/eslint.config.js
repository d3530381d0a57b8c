// ESLint for the web UI: `npm run lint`, run by the Maven build before the tests with
// --max-warnings 0 (a warning fails the build like an error). TypeScript is linted with its types
// (typescript-eslint's recommendedTypeChecked); the Node scripts and the browser scenarios with
// ESLint's recommended rules. Every rule switched off or relaxed below says why.

import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'test-results/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Relaxed: event listeners (h()'s `on`, addEventListener) may be async. The DOM ignores a
      // listener's return value, and a rejected async listener is reported like a throwing sync
      // one, so the void return type guards nothing there. Still checked: a promise passed where
      // a condition, a spread or a returned void function is expected.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, properties: false } }],
    },
  },
  {
    files: ['**/*.test.ts'],
    rules: {
      // Off in tests: fakes of async APIs (fetch) answer at once, with nothing to await.
      '@typescript-eslint/require-await': 'off',
      // Off in tests: `expect(fake.method)` hands a vitest mock to a matcher, which never calls it.
      '@typescript-eslint/unbound-method': 'off',
      // Off in tests: fakes String() what a fetch was given (a URL or a JSON body); a wrong type
      // fails the test's assertion anyway.
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
  {
    // the scenarios run in Node and hand functions to page.evaluate, which run in the page
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
