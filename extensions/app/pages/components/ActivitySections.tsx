/**
 * The home page's activity sections (docs/activities.md): activities waiting for a partner manager's decision,
 * decided in place like registrations, and the partners whose co-marketing commitments are at risk this year.
 */
import { Alert, Button, Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { ActivityDecisionRequest, HomeView } from '../../cards/api/contract.js';
import { ActivityDecisionButtons } from '../../cards/components/activities/ActivityDecisionButtons.js';
import type { CardActionState } from '../../cards/hooks/use-card-action.js';

type Waiting = HomeView['activitiesAwaiting'][number];

export function ActivityQueueSection({
  waiting,
  canDecide,
  actionState,
  closeOverlay,
  onDecide,
  onDismiss,
}: {
  waiting: HomeView['activitiesAwaiting'];
  canDecide: boolean;
  actionState: CardActionState;
  closeOverlay: (id: string) => void;
  onDecide: (activity: Waiting, request: ActivityDecisionRequest) => void;
  onDismiss: () => void;
}) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Activities waiting for a decision</Heading>
      {actionState.status === 'failed' ? (
        <Alert title={actionState.title} variant="error">
          <Text testId="activity-failure">{actionState.message}</Text>
          <Button variant="transparent" onClick={() => onDismiss()}>
            Dismiss
          </Button>
        </Alert>
      ) : null}
      {waiting.length === 0 ? (
        <Text>No activity is waiting for a decision.</Text>
      ) : (
        <Table bordered={true} testId="activity-queue">
          <TableHead>
            <TableRow>
              <TableHeader>Partner</TableHeader>
              <TableHeader>Activity</TableHeader>
              <TableHeader>Date</TableHeader>
              {canDecide ? <TableHeader>Decision</TableHeader> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {waiting.map((a) => (
              <TableRow key={a.id}>
                <TableCell>{a.companyName}</TableCell>
                <TableCell>{`${a.typeLabel}: ${a.name}`}</TableCell>
                <TableCell>{a.date ?? '—'}</TableCell>
                {canDecide ? (
                  <TableCell>
                    <ActivityDecisionButtons
                      activity={a}
                      busy={actionState.status === 'submitting'}
                      closeOverlay={closeOverlay}
                      onDecide={(request) => onDecide(a, request)}
                    />
                  </TableCell>
                ) : null}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

export function CommitmentsAtRiskSection({ atRisk }: { atRisk: HomeView['commitmentsAtRisk'] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Co-marketing commitments at risk</Heading>
      {atRisk.length === 0 ? (
        <Text>No partner's co-marketing commitments are at risk.</Text>
      ) : (
        <Table bordered={true} testId="commitments-at-risk">
          <TableHead>
            <TableRow>
              <TableHeader>Partner</TableHeader>
              <TableHeader>This year</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {atRisk.map((c) => (
              <TableRow key={c.companyId}>
                <TableCell>{c.companyName}</TableCell>
                <TableCell>{c.summary}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
