import { Button, ButtonRow, Modal, ModalBody, ModalFooter, Select, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { RejectWithReasonButton } from '../RejectWithReasonButton.js';

type Choice = { id: string; name: string };

/**
 * The overlays below close themselves before the request goes out: the card then shows the outcome (an alert,
 * or the failure with its message) behind them, where the refetched data appears too.
 */
export const REGISTER_MODAL_ID = 'pp-register-deal';
export const REJECT_MODAL_ID = 'pp-reject-registration';
export const RESOLVE_MODAL_ID = 'pp-resolve-dispute';

function PickOneButton({
  modalId,
  label,
  title,
  intro,
  selectLabel,
  submitLabel,
  submitTestId,
  choices,
  disabled,
  closeOverlay,
  onSubmit,
}: {
  modalId: string;
  label: string;
  title: string;
  intro: string;
  selectLabel: string;
  submitLabel: string;
  submitTestId: string;
  choices: Choice[];
  disabled: boolean;
  closeOverlay: (id: string) => void;
  onSubmit: (id: string) => void;
}) {
  const only = choices.length === 1 ? (choices[0]?.id ?? '') : '';
  const [picked, setPicked] = useState(only);
  return (
    <Button
      disabled={disabled}
      testId={`${submitTestId}-open`}
      overlay={
        <Modal id={modalId} title={title} width="md" onClose={() => setPicked(only)}>
          <ModalBody>
            <Text>{intro}</Text>
            <Select
              label={selectLabel}
              name={`${modalId}-choice`}
              required={true}
              value={picked}
              options={choices.map((c) => ({ label: c.name, value: c.id }))}
              onChange={(value) => setPicked(String(value))}
            />
          </ModalBody>
          <ModalFooter>
            <Button
              variant="primary"
              testId={submitTestId}
              disabled={picked === ''}
              onClick={() => {
                closeOverlay(modalId);
                onSubmit(picked);
              }}
            >
              {submitLabel}
            </Button>
          </ModalFooter>
        </Modal>
      }
    >
      {label}
    </Button>
  );
}

/** Anyone who can open the deal may register it for a partner on it (docs/program.md#deal-registration). */
export function RegisterDealButton(props: {
  partners: Choice[];
  disabled: boolean;
  closeOverlay: (id: string) => void;
  onRegister: (partnerId: string) => void;
}) {
  return (
    <PickOneButton
      modalId={REGISTER_MODAL_ID}
      label="Register deal"
      title="Register this deal for a partner"
      intro="The registration waits for a partner manager's approval; approval starts the partner's protection."
      selectLabel="Partner"
      submitLabel="Register"
      submitTestId="register-submit"
      choices={props.partners}
      disabled={props.disabled}
      closeOverlay={props.closeOverlay}
      onSubmit={props.onRegister}
    />
  );
}

/** A partner manager picks which of the two partners keeps protection; the other is rejected. */
export function ResolveDisputeButton(props: {
  partners: Choice[];
  disabled: boolean;
  closeOverlay: (id: string) => void;
  onResolve: (winnerPartnerId: string) => void;
}) {
  return (
    <PickOneButton
      modalId={RESOLVE_MODAL_ID}
      label="Resolve dispute"
      title="Resolve the disputed registration"
      intro="The partner you pick keeps (or gets) an approved registration; the other partner's registration is rejected."
      selectLabel="Winning partner"
      submitLabel="Resolve"
      submitTestId="resolve-submit"
      choices={props.partners}
      disabled={props.disabled}
      closeOverlay={props.closeOverlay}
      onSubmit={props.onResolve}
    />
  );
}

/** Approve directly; reject only with a reason, which is recorded on the deal's timeline. */
export function DecisionButtons({
  disabled,
  closeOverlay,
  onApprove,
  onReject,
}: {
  disabled: boolean;
  closeOverlay: (id: string) => void;
  onApprove: () => void;
  onReject: (reason: string) => void;
}) {
  return (
    <ButtonRow>
      <Button variant="primary" testId="approve" disabled={disabled} onClick={() => onApprove()}>
        Approve
      </Button>
      <RejectWithReasonButton
        modalId={REJECT_MODAL_ID}
        title="Reject registration"
        name="reject-reason"
        description="Shown to the team on the deal's timeline, with your name."
        submitLabel="Reject registration"
        testIds={{ open: 'reject-open', submit: 'reject-submit' }}
        disabled={disabled}
        closeOverlay={closeOverlay}
        onReject={onReject}
      />
    </ButtonRow>
  );
}
