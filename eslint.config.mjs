// ESLint (flat config) for the browser scripts in xblocks/*/static/js and the JS unit tests in
// tests/js. Run with scripts/lint-js; tests/test_lint.py runs it as part of the test command.
import js from '@eslint/js';
import globals from 'globals';

// Rules that catch real bugs, on top of eslint:recommended (which already has no-undef,
// no-unused-vars, no-redeclare, no-dupe-keys, no-unreachable, no-constant-binary-expression...).
const bugRules = {
  // An unused variable or parameter is dead code or a typo. Parameters before the last used
  // one stay allowed (XBlock's init(runtime, element, args) signature is fixed), and so does an
  // unused `catch (e)` binding (naming it is not a bug).
  'no-unused-vars': ['error', {vars: 'all', args: 'after-used', caughtErrors: 'none'}],
  // == only against null (null or undefined) and between two literals / typeof results.
  eqeqeq: ['error', 'smart'],
  // A top-level var or function in a classic script is a property of `window`: every
  // script shares one namespace with the LMS, so everything stays inside its IIFE.
  'no-implicit-globals': 'error',
  // Callbacks of map/filter/find/reduce/every/some/sort... that forget to return.
  'array-callback-return': 'error',
  'no-unused-expressions': ['error', {allowShortCircuit: true, allowTernary: true}],
  'no-self-compare': 'error',
  'no-template-curly-in-string': 'error',
  'no-unmodified-loop-condition': 'error',
  'no-unreachable-loop': 'error',
  'no-promise-executor-return': 'error',
  'no-constructor-return': 'error',
  'no-loop-func': 'error',
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-new-wrappers': 'error',
  'no-caller': 'error',
  'no-extend-native': 'error',
  'no-global-assign': 'error',
  'no-shadow-restricted-names': 'error',
};

export default [
  // Copies and other people's code: build/lib holds a copy of xblocks, the venvs vendored JS.
  {ignores: ['build/', 'dist/', 'var/', '.venv/', '.venv-*/', 'node_modules/', '**/*.min.js']},

  js.configs.recommended,

  {
    // The blocks' browser scripts: classic <script>s (no modules), each one IIFE, loaded by
    // the LMS and Studio. They need ES2018: const/let, arrow functions, spread, destructuring,
    // and the regex escapes \p{L} of bizmooc.js (BizMOOC.wordCount), which do not
    // parse below it. ES2020 (?. and ??) is what every browser the LMS supports parses
    // (current Chrome, Edge, Firefox; Safari 13.1+); ES2021+ syntax is refused.
    files: ['xblocks/**/*.js'],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: 'script',
      globals: {
        ...globals.browser,
        BizMOOC: 'readonly',  // xblocks/common/static/js/bizmooc.js, loaded before every block's script
      },
    },
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: bugRules,
  },

  {
    // node:test unit tests and this file: ES modules on Node.
    files: ['tests/js/**/*.{js,mjs}', 'eslint.config.mjs'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: globals.node,
    },
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: bugRules,
  },
];
