import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'test-results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  // Layers (arrows point down only): api, cli → jobs → app → db → domain, with i18n beside
  // the domain. A module never imports from a layer above it.
  layer(
    'src/domain/**/*.ts',
    ['db', 'app', 'jobs', 'api', 'cli', 'web'],
    ['node:*', 'fs', 'path', 'kysely', 'fastify'],
  ),
  layer('src/i18n/**/*.ts', ['domain', 'db', 'app', 'jobs', 'api', 'cli', 'web']),
  layer('src/db/**/*.ts', ['app', 'jobs', 'api', 'cli', 'web']),
  layer('src/app/**/*.{ts,mjs}', ['jobs', 'api', 'cli', 'web'], ['fastify', '@fastify/*']),
  layer('src/jobs/**/*.ts', ['api', 'cli', 'web'], ['fastify', '@fastify/*']),
  layer('src/api/**/*.ts', ['cli', 'web']),
  {
    // The domain is pure: no I/O, no clock, no database.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Pass today in; the domain has no clock.' },
      ],
    },
  },
);

/** Files matching `files` may not import from the named layers (folders of src/) or packages. */
function layer(files, above, packages = []) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...above.map((l) => ({
              group: [`**/${l}/*`, `**/${l}/**`],
              message: `${files.split('/')[1]} may not import from src/${l}: arrows point down only.`,
            })),
            ...(packages.length ? [{ group: packages, message: 'Not in this layer.' }] : []),
          ],
        },
      ],
    },
  };
}
