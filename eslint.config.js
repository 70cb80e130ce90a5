// ESLint (flat config): the recommended JavaScript and typescript-eslint rules; formatting is Prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'src/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        performance: 'readonly',
        setImmediate: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // A handler imports its toolkit (src/runtime/action.ts), its generated types and its generated routes,
    // nothing else: what several handlers need goes behind the toolkit, so adding an action touches only its own files.
    files: ['actions/**/*.ts'],
    ignores: ['actions/**/*.undo.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./src/(runtime/action|generated/types|generated/routes)\\.js$)',
              message: 'A handler imports only ../src/runtime/action.js (its toolkit), ../src/generated/types.js and ../src/generated/routes.js.',
            },
          ],
        },
      ],
    },
  },
  {
    // An undo plan builder (actions/<id>.undo.ts) imports the journal's builder toolkit and the generated types only.
    files: ['actions/**/*.undo.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.\\./src/(journal/types|journal/builders|generated/types)\\.js$)',
              message: 'An undo plan imports only ../src/journal/types.js, ../src/journal/builders.js and ../src/generated/types.js.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: {
      globals: {
        describe: 'readonly',
        it: 'readonly',
        test: 'readonly',
        expect: 'readonly',
        beforeAll: 'readonly',
        afterAll: 'readonly',
        beforeEach: 'readonly',
        afterEach: 'readonly',
        jest: 'readonly',
      },
    },
  },
);
