/**
 * The partner-program tab on a company: its three tiers with the reason for each, qualified referrals this
 * quarter against the tier minimum, agreements, open registrations, payouts by status and the CSV export, its
 * activities and co-marketing commitments ("Record activity", and a partner manager's decisions), and the
 * partner's contacts with "Invite to portal".
 */
import { Divider, LoadingSpinner, hubspot } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import type { CompanyCardView } from './api/contract.js';
import { getCompanyCard } from './api/get-company-card.js';
import type { CardActions } from './card-actions.js';
import { CardError } from './components/CardError.js';
import { ActivitiesSection } from './components/company/ActivitiesSection.js';
import { CompanyDetails } from './components/company/CompanyDetails.js';
import { PortalInviteSection } from './components/company/PortalInviteSection.js';
import { useFetchState } from './hooks/use-fetch-state.js';

hubspot.extend<'crm.record.tab'>(({ context, actions }) => <CompanyCard companyId={String(context.crm.objectId)} actions={actions} />);

export function CompanyCard({ companyId, actions }: { companyId: string; actions: CardActions }) {
  const load = useCallback(() => getCompanyCard(companyId), [companyId]);
  const { state, reload } = useFetchState<CompanyCardView>(load, companyId);
  if (state.status === 'loading') return <LoadingSpinner label="Loading the partner program for this company" layout="centered" />;
  if (state.status === 'error') return <CardError title="The partner program could not be loaded" message={state.message} onRetry={reload} />;
  return (
    <>
      <CompanyDetails view={state.data} />
      <Divider />
      <ActivitiesSection view={state.data} actions={actions} onChanged={reload} />
      <Divider />
      <PortalInviteSection companyId={companyId} />
    </>
  );
}
