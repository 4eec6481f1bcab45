/**
 * Webhook intake: turns a verified, parsed batch of HubSpot events into recompute jobs, exactly once per event,
 * answering HubSpot after ONE Redis round trip.
 *
 * 1. decide each event (ignored: other portals/apps, the app's own writes, outputs, non-inputs);
 * 2. one script, atomic in Redis: every relevant eventId that has no mark yet (SET with a TTL) is fresh; the
 *    records the fresh events ask to recompute are appended to the intake stream as one entry, then the fresh
 *    events are marked. A redelivered event finds its mark and is dropped. The answer (200) goes once this
 *    returns: the work is in Redis. If the script fails, nothing was marked and the caller answers 503, so
 *    HubSpot's retry is not mistaken for a duplicate. If Redis ran it but the reply was lost (503 all the same),
 *    the entry is stored and HubSpot's retry is a duplicate: nothing is lost either way;
 * 3. the intake pump (intake-pump.ts) turns stream entries into recompute jobs (BullMQ, deduplicated per record)
 *    and only then removes them; an entry a dead process had taken is taken over by another pump.
 *
 * Why a stream and not the jobs themselves: adding a BullMQ job is a script per record (100 per delivery), and
 * HubSpot's ten concurrent deliveries queued behind each other's scripts; one small script per delivery keeps
 * the acknowledgement at one round trip (`npm run bench:ack`).
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { HubSpotEvent } from '../webhooks/schemas.js';
import { decideEvent, foreignChangeKey, type EventFilter, type RecomputeTarget } from '../webhooks/to-jobs.js';
import { createForeignChangeLog } from '../security/app-owned.js';
import { createIntakePump, encodeTargets, intakeStreamKey, type IntakePump } from './intake-pump.js';

export interface IntakeResult {
  received: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  /** Distinct records asked to recompute by this batch. */
  targets: number;
}

export interface WebhookIntake {
  accept(events: HubSpotEvent[]): Promise<IntakeResult>;
  /** This process's pump: told after each stored delivery; `start()` adds the sweep for abandoned entries. */
  pump: IntakePump;
  /** Resolves once every delivery accepted so far has become jobs. */
  settled(): Promise<void>;
}

export interface IntakeOptions {
  /** The connection the acceptance script runs on: best one of its own, so an answer never waits behind other replies. */
  redis: Redis;
  /** The connection the pump reads and acknowledges the stream on (default `redis`). */
  pumpRedis?: Redis;
  queue: Queue;
  /** Key prefix shared with the queues, so one Redis can hold several installs. */
  prefix: string;
  filter: EventFilter;
  debounceMs: number;
  eventDedupeHours: number;
  logger?: Logger;
}

/**
 * KEYS[1] the intake stream. ARGV[1] mark TTL (ms), ARGV[2] reason, ARGV[3] now (ms), ARGV[4] the marks' key
 * prefix, ARGV[5] each relevant event's mark name (`portalId:eventId`, space-separated), ARGV[6] each event's
 * targets (`deal:1 company:2`), events separated by `|`. Appends first and marks after, so a failure half-way can
 * only leave work stored without its marks (a redelivery recomputes again: harmless), never marks without work.
 * Answers one 0/1 per event (1 = fresh), then the number of distinct targets stored.
 *
 * The marks' key names are built here from one prefix rather than passed one by one: a delivery's hundred names
 * were most of the command's bytes and of the client's work to send it (`npm run bench:ack`). The app runs on one
 * Redis (BullMQ's own scripts build key names the same way), so undeclared keys are fine.
 */
const ACCEPT_SCRIPT = `
local marks, lists = {}, {}
for m in string.gmatch(ARGV[5], '%S+') do marks[#marks + 1] = ARGV[4] .. m end
for l in string.gmatch(ARGV[6], '[^|]+') do lists[#lists + 1] = l end
local n = #marks
if #lists ~= n then return redis.error_reply('ERR intake: ' .. n .. ' marks but ' .. #lists .. ' target lists') end
local fresh, seen, targets, known = {}, {}, {}, {}
for i = 1, n do
  local mark = marks[i]
  if seen[mark] or redis.call('EXISTS', mark) == 1 then
    fresh[i] = 0
  else
    seen[mark] = true
    fresh[i] = 1
    for t in string.gmatch(lists[i], '%S+') do
      if not known[t] then
        known[t] = true
        targets[#targets + 1] = t
      end
    end
  end
end
if #targets > 0 then
  redis.call('XADD', KEYS[1], '*', 'targets', table.concat(targets, ' '), 'reason', ARGV[2], 'at', ARGV[3])
end
for i = 1, n do
  if fresh[i] == 1 then redis.call('SET', marks[i], '1', 'PX', ARGV[1]) end
end
fresh[n + 1] = #targets
return fresh
`;

type AcceptCommand = (numKeys: number, ...args: (string | number)[]) => Promise<number[]>;

function acceptCommand(redis: Redis): AcceptCommand {
  // defineCommand sends EVALSHA and falls back to EVAL once when Redis does not know the script yet.
  const r = redis as Redis & { ppIntakeAccept?: AcceptCommand };
  if (!r.ppIntakeAccept) redis.defineCommand('ppIntakeAccept', { lua: ACCEPT_SCRIPT });
  return r.ppIntakeAccept!.bind(redis);
}

export function createWebhookIntake(opts: IntakeOptions): WebhookIntake {
  const ttlMs = opts.eventDedupeHours * 3_600_000;
  // A mark is `<prefix>:evt:<portalId>:<eventId>` (the script joins the two parts); ids are digits only (schemas.ts).
  const markPrefix = `${opts.prefix}:evt:`;
  const markName = (e: HubSpotEvent) => `${e.portalId}:${e.eventId}`;
  const stream = intakeStreamKey(opts.prefix);
  const run = acceptCommand(opts.redis);
  const pump = createIntakePump({
    redis: opts.pumpRedis ?? opts.redis,
    queue: opts.queue,
    prefix: opts.prefix,
    debounceMs: opts.debounceMs,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const changes = createForeignChangeLog(opts.redis, opts.prefix);

  return {
    pump,
    settled: () => pump.settled(),
    async accept(events) {
      const relevant: { event: HubSpotEvent; targets: RecomputeTarget[] }[] = [];
      for (const event of events) {
        const decision = decideEvent(event, opts.filter);
        if (decision.action === 'recompute') relevant.push({ event, targets: decision.targets });
      }
      const result: IntakeResult = { received: events.length, accepted: 0, duplicates: 0, ignored: events.length - relevant.length, targets: 0 };
      if (relevant.length === 0) return result;

      // Who changed an app-owned value, as HubSpot reports it: the restore's timeline note names them. Recorded
      // before the work is stored, so the recompute that restores the value finds it (a redelivery records the
      // same change again: harmless). Best effort: without it the note says the sweep found the change.
      const foreign = relevant.flatMap(({ event }) => {
        const key = foreignChangeKey(event, opts.filter);
        return key === null ? [] : [{ event, key }];
      });
      if (foreign.length > 0) {
        await Promise.all(
          foreign.map(({ event, key }) =>
            changes.record(key, {
              property: event.propertyName ?? '',
              value: event.propertyValue === null || event.propertyValue === undefined ? '' : String(event.propertyValue),
              changeSource: event.changeSource ?? null,
              sourceId: event.sourceId ?? null,
              occurredAt: event.occurredAt,
            }),
          ),
        ).catch(() => undefined);
      }

      let reply: number[];
      try {
        reply = await run(
          1,
          stream,
          ttlMs,
          'webhook',
          Date.now(),
          markPrefix,
          relevant.map((r) => markName(r.event)).join(' '),
          relevant.map((r) => encodeTargets(r.targets)).join('|'),
        );
      } catch (err) {
        throw new QueueUnavailableError('Redis did not accept the webhook batch', err);
      }
      if (!Array.isArray(reply) || reply.length !== relevant.length + 1) throw new QueueUnavailableError('Redis did not accept the webhook batch');

      result.accepted = reply.slice(0, relevant.length).filter((f) => f === 1).length;
      result.duplicates = relevant.length - result.accepted;
      result.targets = reply[relevant.length]!;
      if (result.targets > 0) pump.kick();
      return result;
    },
  };
}
