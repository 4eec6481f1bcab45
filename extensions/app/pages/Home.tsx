/**
 * The partner managers' page (the index route of Pages.tsx): every pending or disputed registration in the
 * portal and every activity waiting for a decision, decided in place, then what needs watching (protection about
 * to lapse, payouts on hold, performance, co-marketing commitments at risk), the annual bonus ranking with "Award",
 * and the program results. Decisions go
 * through the deal registration endpoint, with each row's own version, so a row that changed meanwhile answers 409.
 */
import { Alert, Button, Divider, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import type { HomeView } from '../cards/api/contract.js';
import { getHome } from '../cards/api/get-home.js';
import type { CardActions } from '../cards/card-actions.js';
// Shared with the cards: HubSpot's build keeps React out of every bundle (the host provides it), so a hook
// from cards/ runs on the same React as this page (docs/hubspot-project.md#what-it-does-not-prove).
import { useFetchState } from '../cards/hooks/use-fetch-state.js';
import { QueueSection } from './components/QueueSection.js';
import { ActivityQueueSection, CommitmentsAtRiskSection } from './components/ActivitySections.js';
import { BonusSection } from './components/BonusSection.js';
import { decideActivity } from '../cards/api/activities.js';
import { useCardAction } from '../cards/hooks/use-card-action.js';
import { PerformanceSections } from './components/PerformanceSections.js';
import { ResultsSection } from './components/ResultsSection.js';
import { ExpiringSection, OnHoldSection } from './components/WatchSections.js';
import { useRegistrationAction, type RegistrationActionState } from './hooks/use-registration-action.js';

function ActionFailure({
  failure,
  onRefresh,
  onDismiss,
}: {
  failure: Extract<RegistrationActionState, { status: 'failed' }>;
  onRefresh: () => void;
  onDismiss: () => void;
}) {
  return (
    <Alert
      title={failure.stale ? `${failure.dealName} changed since this page loaded` : `The decision on ${failure.dealName} did not go through`}
      variant={failure.stale ? 'warning' : 'error'}
    >
      <Text>{failure.message}</Text>
      {failure.stale ? (
        <Button testId="refresh-after-conflict" onClick={() => onRefresh()}>
          Refresh
        </Button>
      ) : (
        <Button variant="transparent" onClick={() => onDismiss()}>
          Dismiss
        </Button>
      )}
    </Alert>
  );
}

export function PartnerManagerHome({ actions }: { actions: CardActions }) {
  const { state, reload } = useFetchState<HomeView>(getHome, 'home');
  const onActionSuccess = useCallback(
    (message: string) => {
      actions.addAlert({ type: 'success', message });
      reload();
    },
    [actions, reload],
  );
  const { actionState, submit, dismiss } = useRegistrationAction(onActionSuccess);
  const activityAction = useCardAction(onActionSuccess);
  const refresh = useCallback(() => {
    dismiss();
    reload();
  }, [dismiss, reload]);

  if (state.status === 'loading') return <LoadingSpinner label="Loading the partner-manager queue" layout="centered" />;
  if (state.status === 'error') {
    return (
      <ErrorState title="The partner-manager queue could not be loaded" type="error">
        <Text>{state.message}</Text>
        <Button testId="retry" onClick={() => refresh()}>
          Retry
        </Button>
      </ErrorState>
    );
  }

  const view = state.data;
  return (
    <Flex direction="column" gap="lg">
      {view.viewer.isPartnerManager ? null : (
        <Alert title="Read-only" variant="info">
          {view.viewer.managersHint}
        </Alert>
      )}
      {actionState.status === 'failed' ? <ActionFailure failure={actionState} onRefresh={refresh} onDismiss={dismiss} /> : null}
      <QueueSection
        queue={view.queue}
        actions={{
          busy: actionState.status === 'submitting',
          canDecide: view.viewer.isPartnerManager,
          closeOverlay: actions.closeOverlay,
          submit: (item, request) => void submit({ id: item.dealId, name: item.dealName }, request),
        }}
      />
      <Divider />
      <ActivityQueueSection
        waiting={view.activitiesAwaiting}
        canDecide={view.viewer.isPartnerManager}
        actionState={activityAction.actionState}
        closeOverlay={actions.closeOverlay}
        onDecide={(activity, request) =>
          void activityAction.run(`The decision on ${activity.name} did not go through`, () => decideActivity(activity.id, request))
        }
        onDismiss={activityAction.dismiss}
      />{' '}
      <Divider />
      <ExpiringSection expiring={view.expiringSoon} />
      <Divider />
      <OnHoldSection onHold={view.payoutsOnHold} />
      <Divider />
      <PerformanceSections performance={view.performance} />
      <Divider />
      <CommitmentsAtRiskSection atRisk={view.commitmentsAtRisk} />
      <Divider />
      <BonusSection canAward={view.viewer.isPartnerManager} actions={actions} />
      <Divider />
      <ResultsSection />
    </Flex>
  );
}
