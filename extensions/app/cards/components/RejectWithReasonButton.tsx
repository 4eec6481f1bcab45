/**
 * "Reject" with a required reason, asked for in a modal: a registration on the deal card and on the home page, an
 * activity on the company card and on the home page. The reason goes on a timeline, so it cannot be empty; the
 * overlay closes before the request goes out and the outcome shows behind it.
 */
import { Button, Modal, ModalBody, ModalFooter, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';

export function RejectWithReasonButton({
  modalId,
  title,
  context,
  name,
  description,
  submitLabel,
  testIds,
  size,
  disabled,
  closeOverlay,
  onReject,
}: {
  modalId: string;
  title: string;
  /** What is rejected, shown above the reason (the deal card needs none: it is the deal's own card). */
  context?: string;
  name: string;
  description: string;
  submitLabel: string;
  testIds: { open: string; submit: string };
  size?: 'sm';
  disabled: boolean;
  closeOverlay: (id: string) => void;
  onReject: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const trimmed = reason.trim();
  return (
    <Button
      variant="destructive"
      {...(size ? { size } : {})}
      disabled={disabled}
      testId={testIds.open}
      overlay={
        <Modal id={modalId} title={title} width="md" variant="danger" onClose={() => setReason('')}>
          <ModalBody>
            {context === undefined ? null : <Text>{context}</Text>}
            <TextArea label="Reason" name={name} required={true} description={description} value={reason} onInput={setReason} onChange={setReason} />
          </ModalBody>
          <ModalFooter>
            <Button
              variant="destructive"
              testId={testIds.submit}
              disabled={trimmed === ''}
              onClick={() => {
                closeOverlay(modalId);
                setReason('');
                onReject(trimmed);
              }}
            >
              {submitLabel}
            </Button>
          </ModalFooter>
        </Modal>
      }
    >
      Reject
    </Button>
  );
}
