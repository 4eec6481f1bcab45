/**
 * Facts about the portal that change rarely: which association label type ids mean which partner role, and
 * which deal stages are closed-won / closed-lost. Read from HubSpot, cached in memory, refreshed after a while;
 * closed-won stages can be pinned in the program configuration instead.
 */
import type { HubSpot } from './client.js';
import { listDealCompanyLabels } from './associations.js';
import { readClosedStages } from './pipelines.js';
import { resolveRoleTypeIds, type RoleByTypeId, type StageSets } from './mappers.js';
import { ASSOCIATION_LABELS } from './properties.js';
import { AppError } from '../errors.js';

export interface PortalMetadata {
  roles(): Promise<RoleByTypeId>;
  stages(): Promise<StageSets>;
  /** Forget the cache (after provisioning, or when a label is not found). */
  invalidate(): void;
}

export interface PortalMetadataOptions {
  closedWonStageIds: string[] | null;
  ttlMs?: number;
  clock: () => number;
}

export class MissingContractError extends AppError {
  constructor(message: string) {
    super(message, { status: 503, retryable: true });
  }
}

function cached<T>(load: () => Promise<T>, ttlMs: number, clock: () => number) {
  let value: { at: number; promise: Promise<T> } | null = null;
  return {
    get(): Promise<T> {
      if (!value || clock() - value.at > ttlMs) {
        const promise = load();
        value = { at: clock(), promise };
        // A failed load is not cached: the next caller tries again.
        promise.catch(() => {
          if (value?.promise === promise) value = null;
        });
      }
      return value.promise;
    },
    clear() {
      value = null;
    },
  };
}

export function createPortalMetadata(hs: HubSpot, opts: PortalMetadataOptions): PortalMetadata {
  const ttl = opts.ttlMs ?? 15 * 60_000;
  const roles = cached(
    async () => {
      const labels = await listDealCompanyLabels(hs);
      const map = resolveRoleTypeIds(labels);
      if (map.size === 0) {
        throw new MissingContractError(
          `none of the partner association labels (${ASSOCIATION_LABELS.map((l) => l.label).join(', ')}) exist in this portal: run \`npm run provision\``,
        );
      }
      return map;
    },
    ttl,
    opts.clock,
  );
  const stages = cached(
    async (): Promise<StageSets> => {
      const read = await readClosedStages(hs);
      return opts.closedWonStageIds ? { closedWon: new Set(opts.closedWonStageIds), closedLost: read.closedLost } : read;
    },
    ttl,
    opts.clock,
  );
  return {
    roles: () => roles.get(),
    stages: () => stages.get(),
    invalidate() {
      roles.clear();
      stages.clear();
    },
  };
}
