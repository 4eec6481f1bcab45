/**
 * `npm run payouts:export -- --from 2026-10-01 --to 2026-10-31 [--status on_hold,scheduled] [--partner 9001] [--out file.csv]`
 *
 * The payouts CSV for a period (pp_frozen_at within the days from..to, both included, program time zone), from
 * the command line: the CSV goes to stdout (or --out), progress and a summary go to stderr, so the output can
 * be piped as it is. Reads the same environment and program configuration as the app (HUBSPOT_ACCESS_TOKEN,
 * REDIS_URL for the shared rate limit, PARTNER_PROGRAM_CONFIG).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnv } from '../src/config/env.js';
import { ConfigError } from '../src/config/errors.js';
import { loadProgramConfig } from '../src/config/program.js';
import { silentLogger } from '../src/logger.js';
import { redisAnswers } from '../src/queue/connections.js';
import { createRuntime } from '../src/runtime.js';
import { exportPayouts, parseExportQuery } from '../src/services/export-payouts.js';

const USAGE = 'usage: npm run payouts:export -- --from YYYY-MM-DD --to YYYY-MM-DD [--status s1,s2] [--partner <companyId>] [--out file.csv]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      status: { type: 'string' },
      partner: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const query = parseExportQuery({ from: values.from, to: values.to, status: values.status, partnerId: values.partner });
  const env = loadEnv();
  if (!env.HUBSPOT_ACCESS_TOKEN) throw new ConfigError('HUBSPOT_ACCESS_TOKEN is not set: the export reads the payouts from HubSpot', []);
  if (!(await redisAnswers(env.REDIS_URL))) throw new ConfigError(`Redis is not reachable at ${env.REDIS_URL} (the HubSpot rate limit is shared there)`, []);
  const program = loadProgramConfig(env.PARTNER_PROGRAM_CONFIG);
  const rt = createRuntime({
    env,
    program,
    logger: silentLogger,
    hubspot: { accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_API_BASE_URL },
  });
  try {
    process.stderr.write(`Exporting payouts frozen ${query.from} to ${query.to} (${program.config.timeZone} days, both included)…\n`);
    const result = await exportPayouts(rt.ctx, query, {
      onProgress: (p) => process.stderr.write(p.stage === 'payouts' ? `  ${p.count} payouts found\n` : `  reading names of ${p.count} deals and partners\n`),
    });
    if (values.out) writeFileSync(values.out, result.csv);
    else process.stdout.write(result.csv);
    const { rows, byStatus, totals } = result.summary;
    const statuses =
      Object.entries(byStatus)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ') || 'none';
    const sums =
      Object.entries(totals)
        .map(([c, a]) => `${a} ${c}`)
        .join(', ') || '0';
    process.stderr.write(`Done: ${rows} rows (${statuses}); not reversed: ${sums}${values.out ? `; written to ${values.out}` : ''}.\n`);
    return 0;
  } finally {
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Config, query and HubSpot errors carry messages written for people.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`payouts:export failed: ${message}\n${USAGE}\n`);
    process.exit(1);
  },
);
