/**
 * The README's configuration tables, generated from the schemas themselves so the documentation cannot drift:
 * `npm run docs:config` prints them, and a test checks the README contains exactly this text.
 */
import { DEFAULT_PROGRAM_CONFIG } from './program.js';
import { envSchema } from './env.js';

function describeOf(schema: unknown): string {
  const s = schema as { description?: string; meta?: () => { description?: string } | undefined };
  return s.description ?? s.meta?.()?.description ?? '';
}

/** Defaults as the schema itself applies them to an empty environment. */
function envDefaults(): Record<string, unknown> {
  const parsed = envSchema.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

export function envTable(): string {
  const shape = envSchema as unknown as { def?: { in?: { shape?: Record<string, unknown> } }; shape?: Record<string, unknown> };
  const fields = shape.shape ?? shape.def?.in?.shape ?? {};
  const defaults = envDefaults();
  const rows = Object.entries(fields).map(([name, schema]) => {
    const value = defaults[name];
    const def = name === 'PUBLIC_BASE_URL' ? 'http://localhost:$PORT' : value === undefined ? undefined : String(value);
    return `| \`${name}\` | ${def === undefined ? '—' : `\`${def}\``} | ${describeOf(schema).replace(/\|/g, '\\|')} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function flatten(value: unknown, path: string[], out: [string, string][]): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, [...path, k], out);
    return;
  }
  out.push([path.join('.'), JSON.stringify(value)]);
}

export function programTable(): string {
  const rows: [string, string][] = [];
  flatten(DEFAULT_PROGRAM_CONFIG, [], rows);
  return ['| key | default |', '| --- | --- |', ...rows.map(([k, v]) => `| \`${k}\` | \`${v}\` |`)].join('\n');
}
