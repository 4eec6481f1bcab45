import type { DealSnapshot } from '../../src/engine/types.js';

/** An open new-business deal of $600,000 created 2026-05-01, with no partner-program fields set; override what a case needs. */
export function dealSnapshot(overrides: Partial<DealSnapshot> = {}): DealSnapshot {
  return {
    id: '9001',
    name: 'Clinic rollout',
    amount: '600000',
    firstYearContractValue: null,
    currency: null,
    dealType: null,
    referralKind: null,
    dealstage: 'appointmentscheduled',
    pipeline: 'default',
    closeDate: null,
    createDate: Date.parse('2026-05-01T12:00:00Z'),
    isClosedWon: false,
    isClosedLost: false,
    customerCompanyId: '500',
    registration: null,
    ...overrides,
  };
}
