import type { DealCardView } from './contract.js';
import { pathSegment, requestCardApi } from './request.js';
import { dealCardViewSchema } from './schemas.js';

export function getDealCard(dealId: string): Promise<DealCardView> {
  return requestCardApi(`/api/cards/deals/${pathSegment(dealId)}`, dealCardViewSchema);
}
