// Which module may import which: the rules of engine/ARCHITECTURE.md ("The rooms and
// their arrows"), checked by `npm run lint:deps` in CI. A rule written here is one the
// code already keeps; an arrow the code still breaks is listed in ARCHITECTURE.md
// rather than allowed here silently.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import loop: one of the modules belongs in another room, or a shared part in a third.',
      from: { path: '^(engine|server|nodes|editor/src|examples)/' },
      to: { circular: true },
    },
    {
      name: 'nodes-use-the-plugin-api',
      severity: 'error',
      comment: 'Built-in nodes are written as third-party ones are: only tend/plugin (engine/plugin/index.ts) and each other.',
      from: { path: '^nodes/', pathNot: '\\.test\\.ts$' },
      to: { path: '^(engine|server|editor|test)/', pathNot: '^engine/plugin/index\\.ts$' },
    },
    {
      name: 'workflow-is-deterministic',
      severity: 'error',
      comment: 'The Temporal workflow replays: it may use @temporalio/workflow and pure modules, never Node built-ins, storage, or I/O libraries. '
        + '(plugin/index.ts, run/activities.ts and run/types.ts give it types only: with TypeScript 7 this parser cannot tell an `import type` apart, and Temporal\'s bundler refuses a Node module in the workflow anyway.)',
      from: { path: '^engine/temporal/workflows\\.ts$' },
      to: { pathNot: '(^|/)node_modules/@temporalio/(workflow|common)/|^engine/plugin/(conditions|match|duration|zoned-time|index)\\.ts$|^engine/run/(activities|types|interpreter)\\.ts$' },
    },
    {
      name: 'the-plugin-api-stands-alone',
      severity: 'error',
      comment: 'engine/plugin/ is what nodes (and third parties) build on: it may not reach into storage, Temporal, dispatch or the runtime.',
      from: { path: '^engine/plugin/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/(storage|temporal|dispatch|run|access|results|stack)/' },
    },
    {
      name: 'storage-is-the-bottom',
      severity: 'error',
      comment: 'engine/storage/ holds the SQL and imports nothing above it: domain code calls storage, never the other way round.',
      from: { path: '^engine/storage/', pathNot: '\\.test\\.ts$' },
      to: { path: '^engine/', pathNot: '^engine/(storage/|ops/(errors|uuid|log)\\.ts$|plugin/|flow/document\\.ts$|run/types\\.ts$)' },
    },
    {
      name: 'engine-does-not-know-the-server',
      severity: 'error',
      comment: 'The engine is used by the server, the worker and the tests; it never imports them.',
      from: { path: '^engine/' },
      to: { path: '^(server|editor|test)/' },
    },
    {
      name: 'the-editor-runs-in-a-browser',
      severity: 'error',
      comment: 'The editor imports the engine for types and pure rules only: no storage, Temporal, or server code.',
      from: { path: '^editor/src/' },
      to: { path: '^(server/|engine/(storage|temporal|stack)/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|editor/dist|test/artifacts)' },
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'] },
  },
};
