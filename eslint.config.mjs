// ESLint 9 flat config (`npm run lint`, run by `npm test` and CI). Blocks, in order: what is not
// linted, the TypeScript parser for every source file, typescript-eslint's recommended
// type-checked rules (with the type program of each side: tsconfig.check.json for Node code,
// widgets/tsconfig.json for the browser bundle, the test page's own), then convlens's own rules,
// each in a named block (extend by adding blocks; keep convlens's rules last so they stay in force).
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TS = ['**/*.{ts,mts,cts}'];
const JS = ['**/*.{js,mjs,cjs}'];

export default defineConfig(
  {
    name: 'convlens/ignores',
    ignores: ['node_modules/', 'dist/', 'labextension/', 'nbextension/', '.gpu/', 'test-output/', 'coverage/', 'docs/api/', '**/*.d.ts', 'test/browser/lab-page/build/', 'test/browser/lab-page/static/', 'lectures-site/'],
  },
  {
    name: 'convlens/typescript',
    files: [...TS, ...JS],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    // The plugin is registered so `eslint-disable @typescript-eslint/...` comments name known rules.
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    name: 'convlens/javascript',
    files: JS,
    ...js.configs.recommended,
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
  },
  {
    name: 'convlens/type-checked',
    files: TS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.check.json', './widgets/tsconfig.json', './test/browser/lab-page/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring a key away, a required parameter).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The classic Notebook's JavaScript (the Jupyter global, its requirejs modules, OutputArea,
    // jQuery events) has no TypeScript types: `any` is what that library gives us.
    name: 'convlens/classic-notebook-is-untyped',
    files: ['widgets/classic/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Tests, benchmarks and scripts read untyped JSON (notebooks, saved widget state, wire
    // messages, PyTorch output) and play the frontend with raw messages: `any` is their lingua
    // franca. The library and the browser bundle keep the full rules.
    name: 'convlens/tests-may-use-any',
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Error-path tests wrap a throwing call in an async function so it rejects like the real call.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // A GPU backend cannot read a tensor synchronously (tfjs-backend-webgpu's dataSync needs an
    // OffscreenCanvas, which Node lacks): the library, benchmarks, scripts and tests read with
    // `await t.data()` / `t.array()` (kernel-lib/core/tensors.ts `valuesOf`, test/support/read.ts),
    // so every suite can run on webgpu (`npm run test:webgpu`). Allowed: the wasm kernel checks,
    // which run only on wasm. Issue 20.
    name: 'convlens/async-tensor-reads',
    files: ['kernel-lib/**/*.ts', 'widgets/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    ignores: ['test/foundation/wasm-*.ts'],
    rules: {
      'no-restricted-properties': ['error', ...['dataSync', 'arraySync', 'bufferSync'].map((property) => ({
        property,
        message: 'Synchronous tensor reads fail on the WebGPU backend: use `await t.data()` / `await t.array()` / `await t.buffer()` (or valuesOf).',
      }))],
    },
  },
);
