// Layer rules (see ../docs/architecture.md): api <- core <- adapters <- apps.
// A violation fails `npm run lint`, which CI runs.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Modules must not depend on each other in a cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-is-leaf',
      severity: 'error',
      comment: 'api/ holds types and schemas only; it depends on no other layer.',
      from: { path: '^src/api/' },
      to: { path: '^src/(core|adapters|apps)/' },
    },
    {
      name: 'core-is-pure-layer',
      severity: 'error',
      comment: 'core/ is pure logic: it may use api/ but never adapters/ or apps/.',
      from: { path: '^src/core/' },
      to: { path: '^src/(adapters|apps)/' },
    },
    {
      name: 'core-no-node-builtins',
      severity: 'error',
      comment: 'core/ does no I/O: no node:* or other Node core modules.',
      from: { path: '^src/(core|api)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'adapters-not-apps',
      severity: 'error',
      comment: 'adapters/ implement ports; they never depend on the processes in apps/.',
      from: { path: '^src/adapters/' },
      to: { path: '^src/apps/' },
    },
    {
      name: 'no-foreign-internals',
      severity: 'error',
      comment: 'A module\'s internal/ folder is private to that module.',
      from: { path: '^src/([^/]+/[^/]+)/' },
      to: { path: '^src/([^/]+/[^/]+)/internal/', pathNot: '^src/$1/internal/' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
