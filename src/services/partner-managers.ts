/**
 * Who is a partner manager (docs/program.md#deal-registration): a HubSpot user listed by id in the program
 * configuration, or a member of a listed team. Team membership is looked up on the server (the users API),
 * never taken from the card, and cached briefly so a card that loads and then decides costs one lookup.
 * When the lookup fails the answer is "not a manager": an outage must never grant rights.
 */
import type { HubSpot } from '../hubspot/client.js';
import { readUserTeams } from '../hubspot/users.js';
import type { Logger } from '../logger.js';

export type ManagerCheck =
  | { isManager: true; via: 'user' | 'team' }
  /** `unconfirmed`: the team lookup failed, so membership could not be checked. */
  | { isManager: false; why: 'anonymous' | 'not_listed' | 'unknown_user' | 'unconfirmed'; detail?: string };

export interface PartnerManagers {
  check(userId: string | null): Promise<ManagerCheck>;
  /** One sentence for users who are not managers: who decides instead. */
  readonly hint: string;
}

export interface PartnerManagersOptions {
  userIds: readonly string[];
  teamIds: readonly string[];
  /** The user's team ids from HubSpot; null when HubSpot has no such user. Throws when the lookup fails. */
  readTeams(userId: string): Promise<string[] | null>;
  clock: () => number;
  /** How long a looked-up membership is trusted. @defaultValue 300000 (5 minutes) */
  ttlMs?: number;
  logger?: Logger;
}

const DEFAULT_TTL_MS = 5 * 60_000;
/** A portal has a bounded number of users; past this the cache starts over rather than grow for ever. */
const MAX_CACHED_USERS = 5_000;

/** `readTeams` backed by HubSpot's users API: the edges wire it without importing the HubSpot layer themselves. */
export function teamsFromHubSpot(hs: HubSpot): PartnerManagersOptions['readTeams'] {
  return async (userId) => (await readUserTeams(hs, userId))?.teamIds ?? null;
}

export function createPartnerManagers(opts: PartnerManagersOptions): PartnerManagers {
  const userIds = new Set(opts.userIds.map(String));
  const teamIds = new Set(opts.teamIds.map(String));
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  const cache = new Map<string, { at: number; teams: string[] | null }>();
  const inFlight = new Map<string, Promise<string[] | null>>();

  async function teamsOf(userId: string): Promise<string[] | null> {
    const hit = cache.get(userId);
    if (hit && opts.clock() - hit.at < ttlMs) return hit.teams;
    let pending = inFlight.get(userId);
    if (!pending) {
      pending = opts.readTeams(userId).finally(() => inFlight.delete(userId));
      inFlight.set(userId, pending);
    }
    const teams = await pending;
    // Only answers are cached: a failed lookup is asked again next time.
    if (cache.size >= MAX_CACHED_USERS) cache.clear();
    cache.set(userId, { at: opts.clock(), teams });
    return teams;
  }

  return {
    hint: managersHint(opts.userIds, opts.teamIds),
    async check(userId) {
      if (userId === null || userId === '') return { isManager: false, why: 'anonymous' };
      if (userIds.has(userId)) return { isManager: true, via: 'user' };
      if (teamIds.size === 0) return { isManager: false, why: 'not_listed' };
      let teams: string[] | null;
      try {
        teams = await teamsOf(userId);
      } catch (err) {
        opts.logger?.warn({ err, userId }, 'partner-manager team lookup failed: treated as not a manager');
        return { isManager: false, why: 'unconfirmed', detail: err instanceof Error ? err.message : String(err) };
      }
      if (teams === null) return { isManager: false, why: 'unknown_user' };
      return teams.some((t) => teamIds.has(String(t))) ? { isManager: true, via: 'team' } : { isManager: false, why: 'not_listed' };
    },
  };
}

/**
 * Who decides, for people who may not. Never the configured user or team ids: a card viewer (any seat in the
 * portal) would otherwise learn exactly whose seat to impersonate or whose team to join.
 */
export function managersHint(userIds: readonly string[], teamIds: readonly string[]): string {
  if (userIds.length === 0 && teamIds.length === 0) {
    return 'No partner managers are configured yet: an admin lists their HubSpot user or team ids under partnerManagers in the program configuration.';
  }
  return 'Only partner managers approve, reject or resolve registrations (the users and teams listed under partnerManagers in the program configuration).';
}

/** Why a user may not decide, in words the card shows. */
export function notAManagerMessage(check: Extract<ManagerCheck, { isManager: false }>, userId: string | null, hint: string): string {
  switch (check.why) {
    case 'anonymous':
      return 'HubSpot did not say which user sent this request, so it cannot be authorised. Reload the page and try again.';
    case 'unconfirmed':
      return `Could not confirm with HubSpot that user ${userId} is a partner manager (the team lookup failed), so nothing was changed. Try again in a moment.`;
    case 'unknown_user':
    case 'not_listed':
      return `Only partner managers can do this, and user ${userId} is not one. ${hint}`;
  }
}
