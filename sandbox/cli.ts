/**
 * `npm run sandbox -- <scenario> [dealId]`: moves a demo deal in the running sandbox (`npm start` without a
 * token) and prints what the app did about it. Scenarios: status, register, approve, reject, close-won, reopen,
 * list.
 */
import { readFileSync } from 'node:fs';
import { hubspotPaths } from '../src/hubspot/api-paths.js';
import { SANDBOX_STATE_FILE, type SandboxState } from './start.js';
import { SCENARIOS, type ScenarioResult } from './scenarios.js';

const usage = `usage: npm run sandbox -- <${[...SCENARIOS, 'list'].join('|')}> [dealId]`;

function state(): SandboxState {
  try {
    return JSON.parse(readFileSync(SANDBOX_STATE_FILE, 'utf8')) as SandboxState;
  } catch {
    throw new Error(`no running sandbox found (${SANDBOX_STATE_FILE}): start it with \`npm start\` (no HUBSPOT_ACCESS_TOKEN) first`);
  }
}

function print(r: ScenarioResult): void {
  const out = (l = '') => process.stdout.write(`${l}\n`);
  out(`${r.scenario}: ${r.message}`);
  out(`deal ${r.dealId} · ${r.dealName}`);
  for (const [k, v] of Object.entries(r.deal)) {
    if (k === 'pp_commission_breakdown') continue;
    out(`  ${k.padEnd(26)} ${v ?? '—'}`);
  }
  if (r.deal.pp_commission_breakdown) {
    out('  breakdown:');
    for (const line of r.deal.pp_commission_breakdown.split('\n')) out(`    ${line}`);
  }
  out(r.payouts.length === 0 ? '  payouts: none' : '  payouts:');
  for (const p of r.payouts)
    out(`    ${p.pp_payout_key}  ${p.pp_amount} ${p.pp_currency}  ${p.pp_status}${p.pp_hold_reason ? ` (on hold: ${p.pp_hold_reason})` : ''}`);
}

async function main(): Promise<void> {
  const [name, dealId] = process.argv.slice(2);
  if (!name) throw new Error(usage);
  const s = state();
  if (name === 'list') {
    const res = await fetch(`${s.sandboxUrl}${hubspotPaths.objectsSearch('deals')}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        filterGroups: [],
        properties: ['dealname', 'dealstage', 'pp_commission_total', 'deal_currency_code', 'pp_protection_status', 'pp_payout_status'],
        limit: 100,
      }),
    });
    const body = (await res.json()) as { results: { id: string; properties: Record<string, string | null> }[] };
    for (const d of body.results) {
      const p = d.properties;
      process.stdout.write(
        `${d.id.padEnd(7)} ${(p.pp_commission_total ?? '—').padStart(12)} ${(p.deal_currency_code ?? '').padEnd(4)} ${(p.pp_protection_status ?? '').padEnd(14)} ${(p.pp_payout_status ?? '').padEnd(9)} ${p.dealname}\n`,
      );
    }
    return;
  }
  if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(usage);
  const res = await fetch(`${s.receiverUrl}/sandbox/scenarios/${name}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(dealId ? { dealId } : {}),
  }).catch(() => {
    throw new Error(`the sandbox at ${s.receiverUrl} does not answer: is \`npm start\` still running?`);
  });
  const body = (await res.json()) as ScenarioResult & { error?: { message: string } };
  if (!res.ok) throw new Error(body.error?.message ?? `scenario failed (${res.status})`);
  print(body);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
