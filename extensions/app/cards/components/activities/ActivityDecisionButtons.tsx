/**
 * A partner manager's decision on one activity, on the company card and on the home page: Approve (a retainer asks
 * for its annual amount, which the backend checks against the configured range) or Reject with a reason, which goes
 * on the partner's timeline. The overlays close before the request goes out; the outcome shows behind them.
 */
import { Button, ButtonRow, Input, Modal, ModalBody, ModalFooter, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { needsAmount } from '../../activity-types.js';
import type { ActivityDecisionRequest } from '../../api/contract.js';
import { RejectWithReasonButton } from '../RejectWithReasonButton.js';

export type DecidableActivity = { id: string; type: string; typeLabel: string; name: string };

export function ActivityDecisionButtons({
  activity,
  busy,
  closeOverlay,
  onDecide,
}: {
  activity: DecidableActivity;
  busy: boolean;
  closeOverlay: (id: string) => void;
  onDecide: (request: ActivityDecisionRequest) => void;
}) {
  const approveId = `pp-approve-activity-${activity.id}`;
  const rejectId = `pp-reject-activity-${activity.id}`;
  const [amount, setAmount] = useState('');
  const title = `${activity.typeLabel}: ${activity.name}`;
  return (
    <ButtonRow>
      {needsAmount(activity.type) ? (
        <Button
          variant="primary"
          size="sm"
          disabled={busy}
          testId={`approve-activity-open-${activity.id}`}
          overlay={
            <Modal id={approveId} title="Approve retainer" width="md" onClose={() => setAmount('')}>
              <ModalBody>
                <Text>{title}</Text>
                <Input
                  label="Annual amount"
                  name={`activity-amount-${activity.id}`}
                  required={true}
                  description="Within the program's retainer range; above the fair-market-value cap the payout is held for review."
                  value={amount}
                  onInput={setAmount}
                  onChange={setAmount}
                />
              </ModalBody>
              <ModalFooter>
                <Button
                  variant="primary"
                  testId={`approve-activity-submit-${activity.id}`}
                  disabled={amount.trim() === ''}
                  onClick={() => {
                    closeOverlay(approveId);
                    setAmount('');
                    onDecide({ action: 'approve', amount: amount.trim() });
                  }}
                >
                  Approve retainer
                </Button>
              </ModalFooter>
            </Modal>
          }
        >
          Approve
        </Button>
      ) : (
        <Button variant="primary" size="sm" disabled={busy} testId={`approve-activity-${activity.id}`} onClick={() => onDecide({ action: 'approve' })}>
          Approve
        </Button>
      )}
      <RejectWithReasonButton
        modalId={rejectId}
        title="Reject activity"
        context={title}
        name={`activity-reject-reason-${activity.id}`}
        description="Recorded on the partner's timeline, with your name."
        submitLabel="Reject activity"
        testIds={{ open: `reject-activity-open-${activity.id}`, submit: `reject-activity-submit-${activity.id}` }}
        size="sm"
        disabled={busy}
        closeOverlay={closeOverlay}
        onReject={(reason) => onDecide({ action: 'reject', reason })}
      />
    </ButtonRow>
  );
}
