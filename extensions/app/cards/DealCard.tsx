/**
 * The partner-program tab on a deal: partners, registration and protection, the commission preview with
 * reasons, and payouts. All data comes from the backend (src/server/cards) through ./api; the backend
 * decides who may approve, so this card only hides the buttons a user cannot use.
 */
import { Divider, EmptyState, Flex, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import type { DealCardView, RegistrationActionRequest } from './api/contract.js';
import { getDealCard } from './api/get-deal-card.js';
import { PARTNER_ASSOCIATION_LABELS } from './association-labels.js';
import type { CardActions } from './card-actions.js';
import { ActionFailureAlert } from './components/ActionFailureAlert.js';
import { CardError } from './components/CardError.js';
import { CommissionSection } from './components/deal/CommissionSection.js';
import { PartnersSection } from './components/deal/PartnersSection.js';
import { PayoutsSection } from './components/deal/PayoutsSection.js';
import { RegistrationSection } from './components/deal/RegistrationSection.js';
import { useFetchState } from './hooks/use-fetch-state.js';
import { useRegistrationAction } from './hooks/use-registration-action.js';

hubspot.extend<'crm.record.tab'>(({ context, actions }) => <DealCard dealId={String(context.crm.objectId)} actions={actions} />);

function NoPartners() {
  const labels = PARTNER_ASSOCIATION_LABELS.map((l) => `"${l}"`).join(', ');
  return (
    <EmptyState title="No partners on this deal yet" layout="vertical" imageName="companies">
      <Text>
        {`To add a partner, associate the partner's company with this deal and give the association a partner label: ${labels}. The commission preview and registration appear here once a partner is on the deal.`}
      </Text>
    </EmptyState>
  );
}

export function DealCard({ dealId, actions }: { dealId: string; actions: CardActions }) {
  const load = useCallback(() => getDealCard(dealId), [dealId]);
  const { state, reload } = useFetchState<DealCardView>(load, dealId);
  const onActionSuccess = useCallback(
    (message: string) => {
      actions.addAlert({ type: 'success', message });
      reload();
    },
    [actions, reload],
  );
  const { actionState, submit, dismiss } = useRegistrationAction(onActionSuccess);
  const refresh = useCallback(() => {
    dismiss();
    reload();
  }, [dismiss, reload]);

  if (state.status === 'loading') return <LoadingSpinner label="Loading the partner program for this deal" layout="centered" />;
  if (state.status === 'error') {
    return <CardError title="The partner program could not be loaded" message={state.message} onRetry={refresh} />;
  }

  const view = state.data;
  const submitForDeal = (request: RegistrationActionRequest) => void submit(view.deal.id, request);
  return (
    <Flex direction="column" gap="md">
      {actionState.status === 'failed' ? <ActionFailureAlert failure={actionState} onRefresh={refresh} onDismiss={dismiss} /> : null}
      {view.partners.length === 0 ? (
        <NoPartners />
      ) : (
        <>
          <PartnersSection partners={view.partners} />
          <Divider />
          <RegistrationSection view={view} busy={actionState.status === 'submitting'} closeOverlay={actions.closeOverlay} submit={submitForDeal} />
          <Divider />
          <CommissionSection commission={view.commission} />
        </>
      )}
      {view.partners.length > 0 || view.payouts.records.length > 0 ? (
        <>
          <Divider />
          <PayoutsSection deal={view.deal} payouts={view.payouts} />
        </>
      ) : null}
    </Flex>
  );
}
