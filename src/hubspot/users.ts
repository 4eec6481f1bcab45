/**
 * A HubSpot user's teams, looked up on the server: partner-manager rights come from here, never from the card.
 * User provisioning API, at its newest GA version (USERS_API_VERSION: 2026-09 is beta only). docs/hubspot-api.md.
 */
import { z } from 'zod';
import { hubspotPaths } from './api-paths.js';
import type { HubSpot } from './client.js';
import { HubSpotClientError, HubSpotResponseError } from './errors.js';

export interface UserTeams {
  userId: string;
  /** Primary team first, then the secondary teams. */
  teamIds: string[];
}

const idSchema = z.union([z.string(), z.number()]).transform(String);
const userSchema = z.looseObject({
  id: idSchema,
  primaryTeamId: idSchema.nullable().optional(),
  secondaryTeamIds: z.array(idSchema).nullable().optional(),
});

/** null when HubSpot has no such user (404): the caller treats an unknown user as not a manager. */
export async function readUserTeams(hs: HubSpot, userId: string): Promise<UserTeams | null> {
  const operation = 'users.get';
  let data: unknown;
  try {
    data = (await hs.request(operation, { method: 'GET', path: hubspotPaths.user(userId), query: { idProperty: 'USER_ID' } })).data;
  } catch (err) {
    if (err instanceof HubSpotClientError && err.hubspotStatus === 404) return null;
    throw err;
  }
  const parsed = userSchema.safeParse(data);
  if (!parsed.success) throw new HubSpotResponseError(operation, z.prettifyError(parsed.error));
  const { id, primaryTeamId, secondaryTeamIds } = parsed.data;
  const teamIds = [...(primaryTeamId ? [primaryTeamId] : []), ...(secondaryTeamIds ?? [])];
  return { userId: id, teamIds: [...new Set(teamIds)] };
}
