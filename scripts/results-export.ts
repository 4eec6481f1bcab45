/**
 * `npm run results:export -- [--from 2026-01-01 --to 2026-12-31] [--out file.csv]`
 *
 * The program results for a period (docs/program.md#program-results; default the current calendar year, program time
 * zone) as CSV on stdout (or --out); the table as text and progress on stderr. Reads the same environment and
 * program configuration as the app (HUBSPOT_ACCESS_TOKEN, REDIS_URL for the shared rate limit,
 * PARTNER_PROGRAM_CONFIG).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnv } from '../src/config/env.js';
import { ConfigError } from '../src/config/errors.js';
import { loadProgramConfig } from '../src/config/program.js';
import { silentLogger } from '../src/logger.js';
import { redisAnswers } from '../src/queue/connections.js';
import { createRuntime } from '../src/runtime.js';
import { loadProgramResults, parseResultsPeriod, resultsCsv, resultsText } from '../src/services/program-results.js';

const USAGE = 'usage: npm run results:export -- [--from YYYY-MM-DD --to YYYY-MM-DD] [--out file.csv]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stderr.write(`${USAGE}\n`);
    return 0;
  }
  const env = loadEnv();
  const program = loadProgramConfig(env.PARTNER_PROGRAM_CONFIG);
  const period = parseResultsPeriod({ from: values.from, to: values.to }, Date.now(), program.config.timeZone);
  if (!env.HUBSPOT_ACCESS_TOKEN) throw new ConfigError('HUBSPOT_ACCESS_TOKEN is not set: the results are read from HubSpot', []);
  if (!(await redisAnswers(env.REDIS_URL))) throw new ConfigError(`Redis is not reachable at ${env.REDIS_URL} (the HubSpot rate limit is shared there)`, []);
  const rt = createRuntime({ env, program, logger: silentLogger, hubspot: { accessToken: env.HUBSPOT_ACCESS_TOKEN, basePath: env.HUBSPOT_API_BASE_URL } });
  try {
    process.stderr.write(`Program results ${period.from} to ${period.to} (${program.config.timeZone} days, both included)…\n`);
    const { results, derived } = await loadProgramResults(rt.ctx, period);
    const csv = resultsCsv(results);
    if (values.out) writeFileSync(values.out, csv);
    else process.stdout.write(csv);
    process.stderr.write(resultsText(results));
    if (derived > 0) process.stderr.write(`${derived} payouts had no pp_program_component (frozen before it existed): derived from their partner and deal.\n`);
    if (results.skipped.length > 0) process.stderr.write(`left out: ${results.skipped.join('; ')}\n`);
    return 0;
  } finally {
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`results:export failed: ${message}\n${USAGE}\n`);
    process.exit(1);
  },
);
