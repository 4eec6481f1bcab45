/**
 * The two people-roles of the program configuration, looked up on the server (HubSpot users API for teams,
 * cached briefly): partner managers (registration decisions, partner inputs) and finance (payout approval and
 * payment, the payouts CSV). One instance per runtime, so the card backend, the export route and the restore
 * checks share one cache and one lookup per user. When unsure, a user has neither role.
 */
import type { Runtime } from '../runtime.js';
import { createPartnerManagers, teamsFromHubSpot, type PartnerManagers } from './partner-managers.js';

export interface ProgramRoles {
  managers: PartnerManagers;
  finance: PartnerManagers;
  /** Finance users and partner managers may download payouts. */
  mayExport(userId: string | null): Promise<boolean>;
}

const byRuntime = new WeakMap<Runtime, ProgramRoles>();

export function programRoles(rt: Runtime): ProgramRoles {
  let roles = byRuntime.get(rt);
  if (roles) return roles;
  const readTeams = teamsFromHubSpot(rt.hs);
  const { partnerManagers, finance } = rt.program.config;
  const managers = createPartnerManagers({ ...partnerManagers, readTeams, clock: rt.clock, logger: rt.logger });
  const financeUsers = createPartnerManagers({ ...finance, readTeams, clock: rt.clock, logger: rt.logger });
  roles = {
    managers,
    finance: financeUsers,
    async mayExport(userId) {
      if (userId === null) return false;
      const [f, m] = await Promise.all([financeUsers.check(userId), managers.check(userId)]);
      return f.isManager || m.isManager;
    },
  };
  byRuntime.set(rt, roles);
  return roles;
}
