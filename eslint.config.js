import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './web/svelte.config.js';

// eslint-plugin-svelte's recommended set, limited to the web app.
const svelteRecommended = svelte.configs.recommended.map((config) =>
  config.files ? { ...config, files: config.files.map((glob) => `web/${glob}`) } : config,
);

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/data/**',
      '**/build/**',
      '**/dist/**',
      '**/.svelte-kit/**',
      '**/test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  // ---- web (SvelteKit): browser globals, Svelte components with TypeScript ----
  ...svelteRecommended,
  {
    files: ['web/**/*.ts', 'web/**/*.js', 'web/**/*.svelte'],
    languageOptions: {
      globals: { ...globals.browser },
    },
  },
  {
    files: ['web/**/*.svelte', 'web/**/*.svelte.ts', 'web/**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        parser: tseslint.parser,
        svelteConfig,
      },
    },
  },
);
