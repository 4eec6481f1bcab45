/**
 * `npm start` (and `npm run worker`, `npm run receiver`): loads and validates the configuration, then runs the
 * app against HubSpot, or, with no HUBSPOT_ACCESS_TOKEN, against the local sandbox portal.
 *
 *   --role all|receiver|worker   what this process runs (default all; several workers can share one Redis)
 */
import { parseArgs } from 'node:util';
import { loadEnv } from '../src/config/env.js';
import { ConfigError } from '../src/config/errors.js';
import { loadProgramConfig } from '../src/config/program.js';
import { createLogger } from '../src/logger.js';
import { closeOnSignals, RedisUnreachableError, runApp, type Role, type RunningApp } from '../src/main.js';

/** What scripts/start.ts needs of sandbox/start.ts, declared here so the production build never compiles sandbox/. */
interface SandboxModule {
  startSandboxMode(opts: {
    env: ReturnType<typeof loadEnv>;
    program: ReturnType<typeof loadProgramConfig>;
    logger: ReturnType<typeof createLogger>;
    role: Role;
  }): Promise<{ app: RunningApp; close(): Promise<void> }>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { role: { type: 'string', default: 'all' } } });
  const role = values.role as Role;
  if (!['all', 'receiver', 'worker'].includes(role)) throw new ConfigError(`--role must be all, receiver or worker (got "${role}")`, []);

  const env = loadEnv();
  const program = loadProgramConfig(env.PARTNER_PROGRAM_CONFIG);
  const logger = createLogger(env.LOG_LEVEL, { role }, { format: env.LOG_FORMAT });
  logger.info({ programVersion: program.version, source: program.source }, 'program configuration loaded');

  if (!env.HUBSPOT_ACCESS_TOKEN) {
    // Kept out of the production import graph: the sandbox is a development tool.
    const sandbox = (await import(['..', 'sandbox', 'start.js'].join('/'))) as SandboxModule;
    const mode = await sandbox.startSandboxMode({ env, program, logger, role });
    closeOnSignals({ ...mode.app, close: () => mode.close() }, logger);
    return;
  }
  const app = await runApp({
    env,
    program,
    logger,
    role,
    hubspot: { accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_API_BASE_URL },
    clientSecret: env.HUBSPOT_CLIENT_SECRET!,
  });
  closeOnSignals(app, logger);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisUnreachableError) {
    process.stderr.write(`Refusing to start: ${err.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
});
