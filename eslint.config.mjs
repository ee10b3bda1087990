// Flat ESLint config. The layering rule is mechanical: code that must run without VS Code
// (core, shared, webview, unit tests, the emulator, benchmarks) may not import `vscode`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': ['error', {
    paths: [{ name: 'vscode', message: 'This layer must not depend on VS Code: keep it in src/platform or src/features.' }],
  }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'test-results/**', '.vscode-test/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }],
      }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Plain ES modules (build and launcher scripts): no type-aware rules. The globals are merged
    // into disableTypeChecked's languageOptions, not put in their place.
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly', console: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', Buffer: 'readonly',
        setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', fetch: 'readonly',
      },
    },
  },
  {
    // Server text must not become a link or an icon: notifications, progress titles and status-bar
    // messages go through src/platform/notify.ts, which passes every string through plainText.
    files: ['src/**/*.ts'],
    ignores: ['src/platform/notify.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: 'MemberExpression[property.name=/^(showInformationMessage|showWarningMessage|showErrorMessage|withProgress|setStatusBarMessage)$/]',
        message: 'Use src/platform/notify.ts (showInformation/showWarning/showError/askModal/withProgress/statusBarMessage): it defuses link and icon syntax in text that may come from the network.',
      }],
    },
  },
  { files: ['src/core/**', 'src/shared/**', 'src/webview/**', 'test/unit/**', 'test/contract/**', 'test/emulator/**', 'test/bench/*.ts', 'test/browser/**'], rules: noVscode },
);
