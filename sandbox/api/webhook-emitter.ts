/**
 * Sends the portal's changes to the app as HubSpot does (docs/hubspot.md#webhooks): JSON arrays of at most 100
 * events, flushed after a short delay, signed with v3 (and v1, as the Webhooks API does) over the target
 * URL, retried with backoff on anything but 2xx and 400/401/403/404/405, several requests in flight at once
 * (so the receiver sees events out of order, as it will in production).
 *
 * Only deals and companies are sent, and only what the subscriptions ask for: by default the app's own
 * subscriptions (deal creation, deletion and association changes, and the trigger properties of deals and
 * companies in src/hubspot/properties.ts), so the app's writes of its outputs do not come back as webhooks.
 */
import { randomUUID } from 'node:crypto';
import { COMPANY_WEBHOOK_PROPERTIES, DEAL_WEBHOOK_PROPERTIES } from '../../src/hubspot/properties.js';
import { guardedRecordSubscriptions } from '../../src/hubspot/webhook-subscriptions.js';
import { signHubSpotRequest } from '../../src/server/verify-hubspot-request.js';
import type { SandboxStore, StoreChange } from './store.js';

export interface WebhookSubscription {
  /** Legacy names: `deal.creation`, `deal.propertyChange`, `company.associationChange` … */
  subscriptionType: string;
  /** For `*.propertyChange`: the one property this subscription is for. */
  propertyName?: string;
}

export interface WebhookOptions {
  targetUrl: string | null;
  /** `'all'`: every deal and company event, every property. Default: the app's subscriptions. */
  subscriptions?: WebhookSubscription[] | 'all';
  /** How long events wait to be batched. Default 25 ms. */
  batchDelayMs?: number;
  /** Events per POST. Default (and HubSpot's maximum) 100. */
  maxBatchSize?: number;
  /** POSTs in flight at once (the app's `maxConcurrentRequests`). Default 10. */
  maxConcurrentRequests?: number;
  /** Tries per batch, the first included. Default 4. */
  maxAttempts?: number;
  /** First retry delay; doubles per retry. Default 50 ms. */
  retryBaseMs?: number;
  /** A receiver slower than this counts as a failure (and is retried). Default 5,000 ms. */
  timeoutMs?: number;
  /** Clock of the signature timestamp. Default `Date.now` (the receiver checks it against its own clock). */
  signingClock?: () => number;
}

export interface WebhookEvent {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  appId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
  objectId?: number;
  propertyName?: string;
  propertyValue?: string;
  changeFlag?: 'NEW' | 'DELETED';
  changeSource: string;
  sourceId?: string;
  associationType?: string;
  fromObjectId?: number;
  toObjectId?: number;
  associationRemoved?: boolean;
  isPrimaryAssociation?: boolean;
}

export interface DeliveryAttempt {
  attemptNumber: number;
  status: number | null;
  error?: string;
}

export interface Delivery {
  events: WebhookEvent[];
  attempts: DeliveryAttempt[];
  delivered: boolean;
}

export type PauseMode = 'drop' | 'hold';

/** HubSpot does not retry these: the receiver has said the request itself is wrong. */
const NOT_RETRIED = new Set([400, 401, 403, 404, 405]);

/** The subscriptions the app declares (extensions/app/webhooks/webhooks-hsmeta.json, from the same lists). */
export function defaultSubscriptions(): WebhookSubscription[] {
  return [
    { subscriptionType: 'deal.creation' },
    { subscriptionType: 'deal.deletion' },
    { subscriptionType: 'deal.restore' },
    { subscriptionType: 'deal.merge' },
    { subscriptionType: 'deal.associationChange' },
    ...DEAL_WEBHOOK_PROPERTIES.map((propertyName) => ({ subscriptionType: 'deal.propertyChange', propertyName })),
    ...COMPANY_WEBHOOK_PROPERTIES.map((propertyName) => ({ subscriptionType: 'company.propertyChange', propertyName })),
    // Declared like the app's (contact pp_portal_access); the sandbox sends deal and company events only.
    ...guardedRecordSubscriptions.legacyCrmObjects.map(({ subscriptionType, propertyName }) => ({ subscriptionType, propertyName })),
  ];
}

const OBJECT_PREFIX: Record<string, 'deal' | 'company'> = { '0-3': 'deal', '0-2': 'company' };

export class WebhookEmitter {
  private targetUrl: string | null;
  private readonly subscriptionIds = new Map<string, number>();
  private readonly all: boolean;
  private readonly batchDelayMs: number;
  private readonly maxBatchSize: number;
  private readonly maxConcurrent: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  private readonly signingClock: () => number;

  private queue: WebhookEvent[] = [];
  private held: WebhookEvent[] = [];
  private mode: 'live' | PauseMode = 'live';
  private timer: NodeJS.Timeout | null = null;
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private nextEventId = 1;
  private nextSubscriptionId = 2_100_001;
  private closed = false;
  private readonly unsubscribe: () => void;

  /** Every batch POSTed, with its attempts. */
  readonly deliveries: Delivery[] = [];
  /** Events discarded while paused in `drop` mode, or sent with no target configured. */
  droppedEvents = 0;

  constructor(
    private readonly store: SandboxStore,
    private readonly clientSecret: string,
    options: WebhookOptions | null,
  ) {
    this.targetUrl = options?.targetUrl ?? null;
    this.all = options?.subscriptions === 'all';
    const subs = options?.subscriptions === 'all' ? [] : (options?.subscriptions ?? defaultSubscriptions());
    for (const s of subs) this.subscriptionIds.set(subscriptionKey(s.subscriptionType, s.propertyName), this.nextSubscriptionId++);
    this.batchDelayMs = options?.batchDelayMs ?? 25;
    this.maxBatchSize = Math.min(options?.maxBatchSize ?? 100, 100);
    this.maxConcurrent = options?.maxConcurrentRequests ?? 10;
    this.maxAttempts = options?.maxAttempts ?? 4;
    this.retryBaseMs = options?.retryBaseMs ?? 50;
    this.timeoutMs = options?.timeoutMs ?? 5_000;
    this.signingClock = options?.signingClock ?? Date.now;
    this.unsubscribe = store.onChange((c) => this.onChange(c));
  }

  /** Points deliveries somewhere else (a receiver started after the sandbox); null stops sending. */
  setTargetUrl(url: string | null): void {
    this.targetUrl = url;
  }

  get target(): string | null {
    return this.targetUrl;
  }

  /**
   * Stops delivery. `drop` loses every event until `resume()` (the "lost webhook" case); `hold` keeps them
   * and sends them on `resume()` (a HubSpot outage that ends).
   */
  pause(mode: PauseMode = 'drop'): void {
    this.mode = mode;
  }

  resume(): void {
    this.mode = 'live';
    if (this.held.length > 0) {
      this.queue.push(...this.held);
      this.held = [];
      this.schedule();
    }
  }

  /** Every event delivered with a 2xx, in delivery order. */
  deliveredEvents(): WebhookEvent[] {
    return this.deliveries.filter((d) => d.delivered).flatMap((d) => d.events);
  }

  /** Events waiting (queued, or held while paused). */
  get pending(): number {
    return this.queue.length + this.held.length;
  }

  /** Sends everything queued now and resolves when it has been delivered or given up on. */
  async flush(): Promise<void> {
    this.clearTimer();
    this.pump(true);
    await this.idle();
  }

  /** Resolves once nothing is queued, waiting for its batch delay, or in flight. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    this.clearTimer();
    this.droppedEvents += this.queue.length;
    this.queue = [];
    await this.idle();
  }

  private isIdle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && this.timer === null;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private onChange(change: StoreChange): void {
    if (this.closed) return;
    for (const event of this.toEvents(change)) {
      if (this.mode === 'drop' || this.targetUrl === null) this.droppedEvents++;
      else if (this.mode === 'hold') this.held.push(event);
      else this.queue.push(event);
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.mode !== 'live' || this.closed) return;
    if (this.queue.length >= this.maxBatchSize) this.pump(false);
    if (this.queue.length > 0 && this.timer === null) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.pump(true);
        this.settle();
      }, this.batchDelayMs);
    }
  }

  private pump(includePartial: boolean): void {
    while (this.inFlight < this.maxConcurrent && (this.queue.length >= this.maxBatchSize || (includePartial && this.queue.length > 0))) {
      const batch = this.queue.splice(0, this.maxBatchSize);
      this.inFlight++;
      void this.deliver(batch).finally(() => {
        this.inFlight--;
        this.pump(true);
        this.settle();
      });
    }
  }

  private async deliver(events: WebhookEvent[]): Promise<void> {
    const delivery: Delivery = { events, attempts: [], delivered: false };
    this.deliveries.push(delivery);
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const url = this.targetUrl;
      if (url === null) break;
      const body = JSON.stringify(events.map((e) => ({ ...e, attemptNumber: attempt })));
      const result = await this.post(url, body);
      delivery.attempts.push({ attemptNumber: attempt, ...result });
      if (result.status !== null && result.status >= 200 && result.status < 300) {
        delivery.delivered = true;
        delivery.events = events.map((e) => ({ ...e, attemptNumber: attempt }));
        return;
      }
      if (result.status !== null && NOT_RETRIED.has(result.status)) return;
      if (attempt + 1 < this.maxAttempts) await sleep(this.retryBaseMs * 2 ** attempt);
    }
  }

  private async post(url: string, body: string): Promise<{ status: number | null; error?: string }> {
    const timestamp = this.signingClock();
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon (sandbox)',
      'x-hubspot-timeout-millis': String(this.timeoutMs),
      ...signHubSpotRequest({ method: 'POST', uri: url, rawBody: body, secret: this.clientSecret, timestamp, version: 'v1' }),
      ...signHubSpotRequest({ method: 'POST', uri: url, rawBody: body, secret: this.clientSecret, timestamp, version: 'v3' }),
      'x-hubspot-correlation-id': randomUUID(),
    };
    try {
      const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (err) {
      return { status: null, error: err instanceof Error ? err.message : String(err) };
    }
  }

  private subscriptionId(subscriptionType: string, propertyName?: string): number | null {
    const key = subscriptionKey(subscriptionType, propertyName);
    const id = this.subscriptionIds.get(key);
    if (id !== undefined) return id;
    if (!this.all) return null;
    const created = this.nextSubscriptionId++;
    this.subscriptionIds.set(key, created);
    return created;
  }

  private toEvents(change: StoreChange): WebhookEvent[] {
    const base = (subscriptionType: string, subscriptionId: number) => ({
      eventId: this.nextEventId++,
      subscriptionId,
      portalId: this.store.portalId,
      appId: this.store.appId,
      occurredAt: change.occurredAt,
      subscriptionType,
      attemptNumber: 0,
      changeSource: change.actor.changeSource,
      ...(change.actor.sourceId === null ? {} : { sourceId: change.actor.sourceId }),
    });
    if (change.kind === 'associationChange') {
      const sides = [
        { type: change.fromObjectTypeId, id: change.fromObjectId, otherType: change.toObjectTypeId, otherId: change.toObjectId },
        { type: change.toObjectTypeId, id: change.toObjectId, otherType: change.fromObjectTypeId, otherId: change.fromObjectId },
      ];
      const events: WebhookEvent[] = [];
      for (const side of sides) {
        const prefix = OBJECT_PREFIX[side.type];
        const otherPrefix = OBJECT_PREFIX[side.otherType];
        if (!prefix || !otherPrefix || prefix === otherPrefix) continue;
        const subscriptionType = `${prefix}.associationChange`;
        const sid = this.subscriptionId(subscriptionType);
        if (sid === null) continue;
        events.push({
          ...base(subscriptionType, sid),
          associationType: `${prefix.toUpperCase()}_TO_${otherPrefix.toUpperCase()}`,
          fromObjectId: Number(side.id),
          toObjectId: Number(side.otherId),
          associationRemoved: change.removed,
          isPrimaryAssociation: change.primary,
        });
      }
      return events;
    }
    const prefix = OBJECT_PREFIX[change.objectTypeId];
    if (!prefix) return [];
    if (change.kind === 'propertyChange') {
      const subscriptionType = `${prefix}.propertyChange`;
      const sid = this.subscriptionId(subscriptionType, change.propertyName);
      if (sid === null) return [];
      return [
        {
          ...base(subscriptionType, sid),
          objectId: Number(change.objectId),
          propertyName: change.propertyName,
          propertyValue: change.propertyValue,
        },
      ];
    }
    const subscriptionType = `${prefix}.${change.kind}`;
    const sid = this.subscriptionId(subscriptionType);
    if (sid === null) return [];
    return [{ ...base(subscriptionType, sid), objectId: Number(change.objectId), changeFlag: change.kind === 'creation' ? 'NEW' : 'DELETED' }];
  }
}

function subscriptionKey(subscriptionType: string, propertyName?: string): string {
  return propertyName === undefined ? subscriptionType : `${subscriptionType}:${propertyName}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
