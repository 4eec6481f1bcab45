/**
 * "Record activity" on the company card: type, name, date, the proposed annual amount for a retainer, and a note.
 * The activity is recorded as submitted and waits for a partner manager's decision (docs/activities.md#flow).
 */
import { Button, DateInput, Input, Modal, ModalBody, ModalFooter, Select, Text, TextArea } from '@hubspot/ui-extensions';
import { useState } from 'react';
import { ACTIVITY_TYPE_OPTIONS, isoDay, needsAmount } from '../../activity-types.js';
import type { RecordActivityRequest } from '../../api/contract.js';

export const RECORD_ACTIVITY_MODAL_ID = 'pp-record-activity';

type Day = { year: number; month: number; date: number };

export function RecordActivityButton({
  busy,
  closeOverlay,
  onRecord,
}: {
  busy: boolean;
  closeOverlay: (id: string) => void;
  onRecord: (request: RecordActivityRequest) => void;
}) {
  const [type, setType] = useState('');
  const [name, setName] = useState('');
  const [date, setDate] = useState<Day | null>(null);
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const reset = () => {
    setType('');
    setName('');
    setDate(null);
    setAmount('');
    setNote('');
  };
  const day = isoDay(date);
  const ready = type !== '' && name.trim() !== '' && day !== '';
  return (
    <Button
      disabled={busy}
      testId="record-activity-open"
      overlay={
        <Modal id={RECORD_ACTIVITY_MODAL_ID} title="Record activity" width="md" onClose={reset}>
          <ModalBody>
            <Text>The activity waits for a partner manager's approval; approval pays it when the partner's type is paid for it.</Text>
            <Select
              label="Type"
              name="activity-type"
              required={true}
              value={type}
              options={[...ACTIVITY_TYPE_OPTIONS]}
              onChange={(value) => setType(String(value))}
            />
            <Input
              label="Name"
              name="activity-name"
              required={true}
              description="The conference, the case study title or the campaign."
              value={name}
              onInput={setName}
              onChange={setName}
            />
            <DateInput
              label={needsAmount(type) ? 'First day of the year it covers' : 'Date'}
              name="activity-date"
              required={true}
              format="YYYY-MM-DD"
              {...(date ? { value: date } : {})}
              onChange={(value) => setDate(value ? { year: value.year, month: value.month, date: value.date } : null)}
            />
            {needsAmount(type) ? (
              <Input
                label="Proposed annual amount"
                name="activity-amount"
                description="The partner manager sets the amount when approving, within the program's retainer range."
                value={amount}
                onInput={setAmount}
                onChange={setAmount}
              />
            ) : null}
            <TextArea
              label="Note"
              name="activity-note"
              description="Added to the note on the company's timeline."
              value={note}
              onInput={setNote}
              onChange={setNote}
            />
          </ModalBody>
          <ModalFooter>
            <Button
              variant="primary"
              testId="record-activity-submit"
              disabled={!ready}
              onClick={() => {
                closeOverlay(RECORD_ACTIVITY_MODAL_ID);
                const request: RecordActivityRequest = { type, name: name.trim(), date: day };
                if (needsAmount(type) && amount.trim() !== '') request.amount = amount.trim();
                if (note.trim() !== '') request.note = note.trim();
                reset();
                onRecord(request);
              }}
            >
              Record activity
            </Button>
          </ModalFooter>
        </Modal>
      }
    >
      Record activity
    </Button>
  );
}
