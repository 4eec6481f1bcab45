/**
 * The company card's activities (docs/activities.md): the co-marketing commitments this year, the partner's
 * activities with their status, amount and payout (held, and why), "Record activity", and for partner managers
 * Approve and Reject on those waiting for a decision. The backend checks who decides again.
 */
import { Alert, Button, Flex, Heading, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { useCallback } from 'react';
import { decideActivity, recordActivity } from '../../api/activities.js';
import type { CompanyCardView } from '../../api/contract.js';
import type { CardActions } from '../../card-actions.js';
import { humanize, payoutStatusVariant, type StatusTagVariant } from '../../format.js';
import { useCardAction } from '../../hooks/use-card-action.js';
import { ActivityDecisionButtons } from '../activities/ActivityDecisionButtons.js';
import { RecordActivityButton } from '../activities/RecordActivityButton.js';

type Activity = CompanyCardView['activities'][number];

const STATUS_VARIANTS: Record<string, StatusTagVariant> = { submitted: 'warning', approved: 'success', rejected: 'danger' };
const COMMITMENT_VARIANTS: Record<string, StatusTagVariant> = { met: 'success', on_track: 'info', at_risk: 'danger' };

/** "$2,500.00 · On hold: <why>"; "—" without a payout. */
export function payoutText(payout: Activity['payout']): string {
  if (payout === null) return '—';
  const status = humanize(payout.status);
  return payout.holdReason ? `${payout.amount} · ${status}: ${payout.holdReason}` : `${payout.amount} · ${status}`;
}

function Commitments({ commitments }: { commitments: CompanyCardView['commitments'] }) {
  if (commitments === null) return <Text testId="commitments">No co-marketing tier: no co-marketing commitments apply.</Text>;
  return (
    <Flex direction="row" gap="sm" align="center">
      <Text testId="commitments">{`Commitments ${commitments.year} (${humanize(commitments.tier)}): ${commitments.summary}`}</Text>
      <StatusTag testId="commitment-status" variant={COMMITMENT_VARIANTS[commitments.status] ?? 'default'}>
        {humanize(commitments.status)}
      </StatusTag>
    </Flex>
  );
}

export function ActivitiesSection({ view, actions, onChanged }: { view: CompanyCardView; actions: CardActions; onChanged: () => void }) {
  const onSuccess = useCallback(
    (message: string) => {
      actions.addAlert({ type: 'success', message });
      onChanged();
    },
    [actions, onChanged],
  );
  const { actionState, run, dismiss } = useCardAction(onSuccess);
  const busy = actionState.status === 'submitting';
  const canDecide = view.viewer.isPartnerManager;
  const companyId = view.company.id;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Activities</Heading>
      <Commitments commitments={view.commitments} />
      {actionState.status === 'failed' ? (
        <Alert title={actionState.title} variant="error">
          <Text testId="activity-failure">{actionState.message}</Text>
          <Button variant="transparent" onClick={() => dismiss()}>
            Dismiss
          </Button>
        </Alert>
      ) : null}
      {view.activities.length === 0 ? (
        <Text>No activities this year.</Text>
      ) : (
        <Table bordered={true} testId="activities">
          <TableHead>
            <TableRow>
              <TableHeader>Activity</TableHeader>
              <TableHeader>Date</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader align="right">Amount</TableHeader>
              <TableHeader>Payout</TableHeader>
              {canDecide ? <TableHeader>Decision</TableHeader> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {view.activities.map((a) => (
              <TableRow key={a.id}>
                <TableCell>{`${a.typeLabel}: ${a.name}`}</TableCell>
                <TableCell>{a.date ?? '—'}</TableCell>
                <TableCell>
                  <StatusTag variant={STATUS_VARIANTS[a.status] ?? 'default'}>{humanize(a.status)}</StatusTag>
                </TableCell>
                <TableCell align="right">{a.amount ?? '—'}</TableCell>
                <TableCell>{a.payout === null ? '—' : <StatusTag variant={payoutStatusVariant(a.payout.status)}>{payoutText(a.payout)}</StatusTag>}</TableCell>
                {canDecide ? (
                  <TableCell>
                    {a.status === 'submitted' ? (
                      <ActivityDecisionButtons
                        activity={a}
                        busy={busy}
                        closeOverlay={actions.closeOverlay}
                        onDecide={(request) => void run(`The decision on ${a.name} did not go through`, () => decideActivity(a.id, request))}
                      />
                    ) : null}
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <RecordActivityButton
        busy={busy}
        closeOverlay={actions.closeOverlay}
        onRecord={(request) => void run('The activity was not recorded', () => recordActivity(companyId, request))}
      />
    </Flex>
  );
}
