import {
  Button,
  ButtonRow,
  Flex,
  Heading,
  Modal,
  ModalBody,
  ModalFooter,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { HomeView, RegistrationActionRequest } from '../../cards/api/contract.js';
import { formatDate, humanize, registrationStatusVariant } from '../../cards/format.js';
import { RejectWithReasonButton } from '../../cards/components/RejectWithReasonButton.js';

type QueueItem = HomeView['queue'][number];

export type QueueActions = {
  busy: boolean;
  canDecide: boolean;
  closeOverlay: (id: string) => void;
  submit: (item: QueueItem, request: RegistrationActionRequest) => void;
};

function RejectInPlace({ item, actions }: { item: QueueItem; actions: QueueActions }) {
  return (
    <RejectWithReasonButton
      modalId={`pp-home-reject-${item.dealId}`}
      title={`Reject ${item.partnerName}'s registration`}
      context={item.dealName}
      name={`reject-reason-${item.dealId}`}
      description="Shown to the team on the deal's timeline, with your name."
      submitLabel="Reject registration"
      testIds={{ open: `reject-open-${item.dealId}`, submit: `reject-submit-${item.dealId}` }}
      size="sm"
      disabled={actions.busy}
      closeOverlay={actions.closeOverlay}
      onReject={(reason) => actions.submit(item, { action: 'reject', reason, expectedVersion: item.registrationVersion })}
    />
  );
}

function ResolveInPlace({ item, actions }: { item: QueueItem; actions: QueueActions }) {
  const modalId = `pp-home-resolve-${item.dealId}`;
  const [winner, setWinner] = useState('');
  const choices = [
    { label: item.partnerName, value: item.partnerId },
    ...(item.conflict === null ? [] : [{ label: item.conflict.partnerName ?? `Company ${item.conflict.partnerId}`, value: item.conflict.partnerId }]),
  ];
  return (
    <Button
      size="sm"
      disabled={actions.busy}
      testId={`resolve-open-${item.dealId}`}
      overlay={
        <Modal id={modalId} title="Resolve the disputed registration" width="md" onClose={() => setWinner('')}>
          <ModalBody>
            <Text>The partner you pick keeps (or gets) an approved registration; the other partner's registration is rejected.</Text>
            <Select
              label="Winning partner"
              name={`resolve-choice-${item.dealId}`}
              required={true}
              value={winner}
              options={choices}
              onChange={(value) => setWinner(String(value))}
            />
          </ModalBody>
          <ModalFooter>
            <Button
              variant="primary"
              testId={`resolve-submit-${item.dealId}`}
              disabled={winner === ''}
              onClick={() => {
                actions.closeOverlay(modalId);
                actions.submit(item, { action: 'resolve', winnerPartnerId: winner, expectedVersion: item.registrationVersion });
              }}
            >
              Resolve
            </Button>
          </ModalFooter>
        </Modal>
      }
    >
      Resolve dispute
    </Button>
  );
}

function conflictText(item: QueueItem): string {
  if (item.conflict === null) return '—';
  return `${item.conflict.partnerName ?? `Company ${item.conflict.partnerId}`} (deal ${item.conflict.dealId})`;
}

export function QueueSection({ queue, actions }: { queue: HomeView['queue']; actions: QueueActions }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Registrations waiting for a decision</Heading>
      {queue.length === 0 ? (
        <Text>No registration is waiting for a decision.</Text>
      ) : (
        <Table bordered={true} testId="queue">
          <TableHead>
            <TableRow>
              <TableHeader>Deal</TableHeader>
              <TableHeader>Partner</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Submitted</TableHeader>
              <TableHeader>Conflicts with</TableHeader>
              {actions.canDecide ? <TableHeader>Decision</TableHeader> : null}
            </TableRow>
          </TableHead>
          <TableBody>
            {queue.map((item) => (
              <TableRow key={item.dealId}>
                <TableCell>{item.dealName}</TableCell>
                <TableCell>{item.partnerName}</TableCell>
                <TableCell>
                  <StatusTag variant={registrationStatusVariant(item.status)}>{humanize(item.status)}</StatusTag>
                </TableCell>
                <TableCell>{formatDate(item.submittedAt)}</TableCell>
                <TableCell>{conflictText(item)}</TableCell>
                {actions.canDecide ? (
                  <TableCell>
                    {item.status === 'pending' ? (
                      <ButtonRow>
                        <Button
                          variant="primary"
                          size="sm"
                          disabled={actions.busy}
                          testId={`approve-${item.dealId}`}
                          onClick={() => actions.submit(item, { action: 'approve', expectedVersion: item.registrationVersion })}
                        >
                          Approve
                        </Button>
                        <RejectInPlace item={item} actions={actions} />
                      </ButtonRow>
                    ) : (
                      <ResolveInPlace item={item} actions={actions} />
                    )}
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
