/**
 * How a failure becomes a BullMQ outcome: bad job data and non-retryable HubSpot answers fail the job for good
 * (it stays visible as failed, never retried for ever); a rate limit parks the whole worker for as long as HubSpot
 * asked and puts the job back without spending an attempt; anything else is retried with backoff.
 */
import { RateLimitError, UnrecoverableError, type Worker } from 'bullmq';
import { ZodError } from 'zod';
import { AppError } from '../../src/errors.js';
import { HubSpotRateLimitError } from '../../src/hubspot/errors.js';

export async function mapJobError(err: unknown, worker: Worker | undefined): Promise<never> {
  if (err instanceof HubSpotRateLimitError && worker) {
    await worker.rateLimit(err.retryAfterMs);
    throw new RateLimitError();
  }
  if (err instanceof ZodError) throw new UnrecoverableError(`invalid job data: ${err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  if (err instanceof AppError && !err.retryable) throw new UnrecoverableError(err.message);
  throw err;
}
