import type { RegistrationActionRequest, RegistrationActionResponse } from './contract.js';
import { pathSegment, requestCardApi } from './request.js';
import { registrationActionResponseSchema } from './schemas.js';

/** Register, approve, reject or resolve a deal's registration. The backend decides who may do what. */
export function postRegistrationAction(dealId: string, request: RegistrationActionRequest): Promise<RegistrationActionResponse> {
  return requestCardApi(`/api/cards/deals/${pathSegment(dealId)}/registration`, registrationActionResponseSchema, {
    method: 'POST',
    body: request,
  });
}
