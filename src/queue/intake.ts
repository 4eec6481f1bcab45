/**
 * Webhook intake: turns a verified, parsed batch of HubSpot events into recompute jobs, exactly once per event.
 *
 * 1. decide each event (ignored: other portals/apps, the app's own writes, outputs, non-inputs);
 * 2. one Redis pipeline marks every relevant eventId (SET NX with a TTL): a redelivered event finds its mark
 *    and is dropped;
 * 3. one addBulk enqueues the recomputes of the new events (deduplicated per record).
 * If step 3 fails, the marks of step 2 are removed again and the caller answers 503, so HubSpot's retry is
 * not mistaken for a duplicate: nothing is lost.
 */
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { QueueUnavailableError } from '../errors.js';
import type { HubSpotEvent } from '../webhooks/schemas.js';
import { decideEvent, isForeignOwnedChange, type EventFilter, type RecomputeTarget } from '../webhooks/to-jobs.js';
import { createForeignChangeLog } from '../security/app-owned.js';
import { enqueueRecomputes } from './queues.js';

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
}

export interface IntakeOptions {
  redis: Redis;
  queue: Queue;
  /** Key prefix shared with the queues, so one Redis can hold several installs. */
  prefix: string;
  filter: EventFilter;
  debounceMs: number;
  eventDedupeHours: number;
}

export function createWebhookIntake(opts: IntakeOptions): WebhookIntake {
  const ttlMs = opts.eventDedupeHours * 3_600_000;
  const markKey = (e: HubSpotEvent) => `${opts.prefix}:evt:${e.portalId}:${e.eventId}`;
  const changes = createForeignChangeLog(opts.redis, opts.prefix);

  return {
    async accept(events) {
      const relevant: { event: HubSpotEvent; targets: RecomputeTarget[] }[] = [];
      for (const event of events) {
        const decision = decideEvent(event, opts.filter);
        if (decision.action === 'recompute') relevant.push({ event, targets: decision.targets });
      }
      const result: IntakeResult = { received: events.length, accepted: 0, duplicates: 0, ignored: events.length - relevant.length, targets: 0 };
      if (relevant.length === 0) return result;

      const marks = opts.redis.pipeline();
      for (const { event } of relevant) marks.set(markKey(event), '1', 'PX', ttlMs, 'NX');
      let replies: [Error | null, unknown][] | null;
      try {
        replies = await marks.exec();
      } catch (err) {
        throw new QueueUnavailableError('Redis did not accept the webhook batch', err);
      }
      if (!replies || replies.some(([err]) => err)) throw new QueueUnavailableError('Redis did not accept the webhook batch');

      const fresh = relevant.filter((_, i) => replies![i]![1] === 'OK');
      // Who changed an app-owned value, as HubSpot reports it: the restore's timeline note names them.
      const foreign = fresh.filter(({ event }) => isForeignOwnedChange(event, opts.filter));
      if (foreign.length > 0) {
        await Promise.all(
          foreign.map(({ event }) =>
            changes.record(`deal:${event.objectId}`, {
              property: event.propertyName ?? '',
              value: event.propertyValue === null || event.propertyValue === undefined ? '' : String(event.propertyValue),
              changeSource: event.changeSource ?? null,
              sourceId: event.sourceId ?? null,
              occurredAt: event.occurredAt,
            }),
          ),
        ).catch(() => undefined);
      }
      result.duplicates = relevant.length - fresh.length;
      result.accepted = fresh.length;
      if (fresh.length === 0) return result;

      const targets = fresh.flatMap((r) => r.targets);
      try {
        await enqueueRecomputes(opts.queue, targets, 'webhook', opts.debounceMs);
      } catch (err) {
        await opts.redis.del(...fresh.map((r) => markKey(r.event))).catch(() => undefined);
        throw new QueueUnavailableError('Redis did not accept the recompute jobs', err);
      }
      result.targets = new Set(targets.map((t) => `${t.kind}:${t.id}`)).size;
      return result;
    },
  };
}
