/**
 * Prometheus metrics at /metrics: jobs, failures, HubSpot calls and 429s, queue depth, webhook intake.
 * One registry per process; queue depth is read from Redis when scraped.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

export interface Metrics {
  registry: Registry;
  jobs: Counter<'queue' | 'name' | 'outcome'>;
  hubspotCalls: Counter<'operation' | 'status'>;
  hubspotRateLimited: Counter<'operation'>;
  hubspotLatency: Histogram<'operation'>;
  webhookEvents: Counter<'outcome'>;
  watchQueues(queues: Queue[]): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pp_' });
  const queues: Queue[] = [];
  new Gauge({
    name: 'pp_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const q of queues) {
        const counts = await q.getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: q.name, state }, n);
      }
    },
  });
  return {
    registry,
    jobs: new Counter({ name: 'pp_jobs_total', help: 'Jobs finished, by outcome', labelNames: ['queue', 'name', 'outcome'], registers: [registry] }),
    hubspotCalls: new Counter({
      name: 'pp_hubspot_calls_total',
      help: 'HubSpot API calls, by operation and HTTP status',
      labelNames: ['operation', 'status'],
      registers: [registry],
    }),
    hubspotRateLimited: new Counter({ name: 'pp_hubspot_429_total', help: 'HubSpot 429 answers', labelNames: ['operation'], registers: [registry] }),
    hubspotLatency: new Histogram({
      name: 'pp_hubspot_call_seconds',
      help: 'HubSpot call duration',
      labelNames: ['operation'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    webhookEvents: new Counter({ name: 'pp_webhook_events_total', help: 'Webhook events, by intake outcome', labelNames: ['outcome'], registers: [registry] }),
    watchQueues(list) {
      queues.push(...list);
    },
  };
}
