/**
 * Partner-portal users for the demo portal: contacts of demo partners with `pp_portal_access` set as the app
 * sets it when a partner manager invites them, so `npm start` can print a sign-in link at once.
 */
import type { SandboxStore } from './api/store.js';
import type { DemoPortalIds } from './seed.js';

export interface DemoPortalUsers {
  /** Summit Advisory Group (consultant tier_1): the user `npm start` prints a link for. */
  summit: string;
  /** Stackline Software (technology partner). */
  stackline: string;
  /** Harbor Lane Consulting (consultant tier_2). */
  harbor: string;
  /** Dr. Elena Ruiz Clinical Advisory (medical advisor): submits presentations and case studies, sees their payouts. */
  advisor: string;
}

export function seedPortalUsers(store: SandboxStore, ids: DemoPortalIds): DemoPortalUsers {
  return store.silently(() => {
    const manager = store.actAsUser(ids.users.partnerManager);
    const app = store.asIntegration();
    const user = (props: Record<string, string>, partnerId: string) => {
      const contact = manager.createObject('contacts', props);
      manager.associate('contacts', contact.id, 'companies', partnerId, [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }]);
      app.updateObject('contacts', contact.id, { pp_portal_access: 'true' });
      return contact.id;
    };
    return {
      summit: user({ email: 'morgan.hale@summit-advisory.example.com', firstname: 'Morgan', lastname: 'Hale' }, ids.partners.consultantTier1),
      stackline: user({ email: 'priya.shah@stackline.example.com', firstname: 'Priya', lastname: 'Shah' }, ids.partners.technology),
      harbor: user({ email: 'lee.ortega@harborlane.example.com', firstname: 'Lee', lastname: 'Ortega' }, ids.partners.consultantTier2),
      advisor: user({ email: 'elena.ruiz@ruiz-advisory.example.com', firstname: 'Elena', lastname: 'Ruiz' }, ids.partners.medicalAdvisorWithBaa),
    };
  });
}
