// Lint rules that guard the house rules: no `any`, no non-null `!` in src/ (style-anchors.md section 5).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'reports/', 'node_modules/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use a named RngStreams stream: runs must depend on the seed alone.',
        },
        { object: 'Date', property: 'now', message: 'No wall clock inside the simulation.' },
      ],
    },
  },
  {
    // The request path's boolean fields are compared with `true`, never tested bare: V8 knows nothing of a
    // field's type when it holds booleans, so a bare test compiles to JavaScript's whole truthiness check
    // (~60 bytes of machine code a site; src/mesh/request.ts says what it cost). A tidy-minded edit, or
    // typescript-eslint's no-unnecessary-boolean-literal-compare, would undo it silently: this rule fails
    // the lint instead.
    files: ['src/mesh/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'IfStatement > MemberExpression.test',
          'ConditionalExpression > MemberExpression.test',
          'WhileStatement > MemberExpression.test',
          'LogicalExpression > MemberExpression',
          "UnaryExpression[operator='!'] > MemberExpression.argument",
        ].map((context) => ({
          selector: `${context}[property.name=/^(live|done|finished|holdsSlot|abandoned|reusedConnection)$/]`,
          message:
            'Compare a request-path boolean field with `true` (`x.finished === true`): see src/mesh/request.ts.',
        })),
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
