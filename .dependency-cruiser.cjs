/**
 * The dependency direction, checked (`npm run lint:layers`):
 *
 *   src/server, workers/  →  src/services  →  src/engine, src/hubspot, src/stores, src/security, src/queue
 *
 * docs/contributing.md states the same rules in prose. Type-only imports are erased at run time, so the rule
 * about thin edges lets them through; every other rule counts them too (a type is still a dependency of the design).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'engine-is-pure',
      comment:
        'src/engine is pure rules: it imports only its own files and luxon (its date library). No HubSpot, Redis, Express, config, Node built-ins or clock.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { pathNot: ['^src/engine/', '^node_modules/luxon/', '^node_modules/@types/luxon/'] },
    },
    {
      name: 'hubspot-below-services',
      comment: 'src/hubspot is the HubSpot I/O layer: it imports no services, server, queue, webhook-intake or worker code.',
      severity: 'error',
      from: { path: '^src/hubspot/' },
      to: { path: '^(src/(services|server|queue|webhooks)|workers|scripts|sandbox)/' },
    },
    {
      name: 'stores-below-services',
      comment:
        'src/stores holds the Redis-backed stores the use cases share: they import the engine and plain helpers, never services, HubSpot, the edges or the queue.',
      severity: 'error',
      from: { path: '^src/stores/' },
      to: { path: '^(src/(services|server|queue|webhooks|hubspot)|workers|scripts|sandbox)/' },
    },
    {
      name: 'security-below-services',
      comment:
        'src/security (seals, keys, guards of app-owned fields, CSV cells, signed links) is used by the HubSpot layer and the services; it imports neither.',
      severity: 'error',
      from: { path: '^src/security/' },
      to: { path: '^(src/(services|server|queue|webhooks|stores)|workers|scripts|sandbox)/' },
    },
    {
      name: 'edges-are-thin',
      comment:
        'src/server and workers/ adapt a request or a job and call a service: from src/hubspot they import only errors.ts (to map HubSpot errors to HTTP statuses and job outcomes) and types.',
      severity: 'error',
      from: { path: '^(src/server|workers)/' },
      to: { path: '^src/hubspot/', pathNot: '^src/hubspot/errors\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'edges-are-independent',
      comment: 'The HTTP edge and the job edge do not import each other; what they share lives below them.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^workers/' },
    },
    {
      name: 'edges-are-independent-too',
      comment: 'The HTTP edge and the job edge do not import each other; what they share lives below them.',
      severity: 'error',
      from: { path: '^workers/' },
      to: { path: '^src/server/' },
    },
    {
      name: 'layers-do-not-import-edges',
      comment: 'Nothing below the edges imports them (or the command-line scripts).',
      severity: 'error',
      from: { path: '^src/(engine|hubspot|services|stores|security|queue|config|webhooks)/' },
      to: { path: '^(src/server|workers|scripts)/' },
    },
    {
      name: 'production-code-stays-production',
      comment: 'src/ and workers/ never import the sandbox portal, tests or benchmarks.',
      severity: 'error',
      from: { path: '^(src|workers)/' },
      to: { path: '^(sandbox|test|bench)/' },
    },
    {
      name: 'resolvable',
      comment: 'Every import resolves (a typo or a removed file shows here before it shows at run time).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|coverage)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.d.ts'],
    },
  },
};
