import type { CompanyCardView } from './contract.js';
import { pathSegment, requestCardApi } from './request.js';
import { companyCardViewSchema } from './schemas.js';

export function getCompanyCard(companyId: string): Promise<CompanyCardView> {
  return requestCardApi(`/api/cards/companies/${pathSegment(companyId)}`, companyCardViewSchema);
}
