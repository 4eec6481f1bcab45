/** Who is looking at a card, and whether the decision buttons are theirs to use (the server checks again). */
import type { Viewer } from '../../../extensions/app/cards/api/contract.js';
import type { PartnerManagers } from '../partner-managers.js';

export async function buildViewer(managers: PartnerManagers, userId: string | null): Promise<Viewer> {
  const check = await managers.check(userId);
  const unconfirmed = !check.isManager && check.why === 'unconfirmed';
  return {
    userId: userId ?? '',
    isPartnerManager: check.isManager,
    managersHint: unconfirmed ? `${managers.hint} Your team membership could not be confirmed with HubSpot just now.` : managers.hint,
  };
}
