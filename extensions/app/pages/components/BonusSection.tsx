/**
 * Annual bonuses on the home page (docs/activities.md#annual-bonuses): partners ranked by partner-sourced revenue in
 * the year, the awards already made, and for partner managers "Award" (an annual achievement bonus within the
 * configured range, or Partner of the Year, one partner a year). The backend enforces the range and the single
 * Partner of the Year and words its refusal, which is shown as it is. Loads on its own; the years offered derive
 * from the year the backend answered, so the page reads no clock.
 */
import {
  Alert,
  Button,
  ErrorState,
  Flex,
  Heading,
  Input,
  LoadingSpinner,
  Modal,
  ModalBody,
  ModalFooter,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  TextArea,
} from '@hubspot/ui-extensions';
import { useCallback, useRef, useState } from 'react';
import { awardBonus, getBonusRanking } from '../../cards/api/activities.js';
import type { AwardBonusRequest, BonusRankingView } from '../../cards/api/contract.js';
import type { CardActions } from '../../cards/card-actions.js';
import { humanize } from '../../cards/format.js';
import { useCardAction } from '../../cards/hooks/use-card-action.js';
import { useFetchState } from '../../cards/hooks/use-fetch-state.js';

type Row = BonusRankingView['rows'][number];
type Award = AwardBonusRequest['award'];

const AWARD_LABELS: Record<Award, string> = { achievement: 'Annual achievement bonus', partner_of_the_year: 'Partner of the Year' };

export function awardsText(row: Row): string {
  if (row.awards.length === 0) return '—';
  return row.awards.map((a) => `${AWARD_LABELS[a.award as Award] ?? humanize(a.award)} ${a.amount} (${humanize(a.status)})`).join('; ');
}

function otherCurrenciesText(row: Row): string {
  const entries = Object.entries(row.otherCurrencies);
  return entries.length === 0 ? '' : ` (+ ${entries.map(([currency, deals]) => `${deals} in ${currency}`).join(', ')}, not converted)`;
}

function AwardButton({
  row,
  year,
  busy,
  closeOverlay,
  onAward,
}: {
  row: Row;
  year: number;
  busy: boolean;
  closeOverlay: (id: string) => void;
  onAward: (request: AwardBonusRequest) => void;
}) {
  const modalId = `pp-award-${row.partnerId}`;
  const [award, setAward] = useState<Award | ''>('');
  const [amount, setAmount] = useState('');
  const [note, setNote] = useState('');
  const reset = () => {
    setAward('');
    setAmount('');
    setNote('');
  };
  // Partner of the Year pays its configured amount; an achievement bonus needs one, within the range.
  const ready = award === 'partner_of_the_year' || (award === 'achievement' && amount.trim() !== '');
  return (
    <Button
      size="sm"
      disabled={busy}
      testId={`award-open-${row.partnerId}`}
      overlay={
        <Modal id={modalId} title={`Award ${row.partnerName} a bonus for ${year}`} width="md" onClose={reset}>
          <ModalBody>
            <Select
              label="Award"
              name={`award-kind-${row.partnerId}`}
              required={true}
              value={award}
              options={[
                { label: AWARD_LABELS.achievement, value: 'achievement' },
                { label: AWARD_LABELS.partner_of_the_year, value: 'partner_of_the_year' },
              ]}
              onChange={(value) => setAward(value as Award)}
            />
            {award === 'achievement' ? (
              <Input
                label="Amount"
                name={`award-amount-${row.partnerId}`}
                required={true}
                description="Within the program's achievement bonus range."
                value={amount}
                onInput={setAmount}
                onChange={setAmount}
              />
            ) : null}
            <TextArea
              label="Note"
              name={`award-note-${row.partnerId}`}
              description="Why; recorded on the partner's timeline."
              value={note}
              onInput={setNote}
              onChange={setNote}
            />
          </ModalBody>
          <ModalFooter>
            <Button
              variant="primary"
              testId={`award-submit-${row.partnerId}`}
              disabled={!ready}
              onClick={() => {
                if (award === '') return;
                closeOverlay(modalId);
                const request: AwardBonusRequest = { year, partnerId: row.partnerId, award };
                if (award === 'achievement') request.amount = amount.trim();
                if (note.trim() !== '') request.note = note.trim();
                reset();
                onAward(request);
              }}
            >
              Award
            </Button>
          </ModalFooter>
        </Modal>
      }
    >
      Award
    </Button>
  );
}

function Ranking({
  view,
  canAward,
  busy,
  actions,
  onAward,
}: {
  view: BonusRankingView;
  canAward: boolean;
  busy: boolean;
  actions: CardActions;
  onAward: (request: AwardBonusRequest, partnerName: string) => void;
}) {
  if (view.rows.length === 0) return <Text>{`No partner-sourced revenue in ${view.year} yet.`}</Text>;
  const holder = view.rows.find((r) => r.partnerId === view.partnerOfTheYear);
  return (
    <Flex direction="column" gap="sm">
      <Text testId="partner-of-the-year">
        {view.partnerOfTheYear === null
          ? `No Partner of the Year for ${view.year} yet.`
          : `Partner of the Year ${view.year}: ${holder?.partnerName ?? `Company ${view.partnerOfTheYear}`}.`}
      </Text>
      <Table bordered={true} testId="bonus-ranking">
        <TableHead>
          <TableRow>
            <TableHeader>#</TableHeader>
            <TableHeader>Partner</TableHeader>
            <TableHeader align="right">Partner-sourced revenue</TableHeader>
            <TableHeader align="right">Deals</TableHeader>
            <TableHeader>Awards</TableHeader>
            {canAward ? <TableHeader> </TableHeader> : null}
          </TableRow>
        </TableHead>
        <TableBody>
          {view.rows.map((row, i) => (
            <TableRow key={row.partnerId}>
              <TableCell>{String(i + 1)}</TableCell>
              <TableCell>{row.partnerName}</TableCell>
              <TableCell align="right">{`${row.revenue}${otherCurrenciesText(row)}`}</TableCell>
              <TableCell align="right">{String(row.deals)}</TableCell>
              <TableCell>{awardsText(row)}</TableCell>
              {canAward ? (
                <TableCell>
                  <AwardButton
                    row={row}
                    year={view.year}
                    busy={busy}
                    closeOverlay={actions.closeOverlay}
                    onAward={(request) => onAward(request, row.partnerName)}
                  />
                </TableCell>
              ) : null}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}

export function BonusSection({ canAward, actions }: { canAward: boolean; actions: CardActions }) {
  const [year, setYear] = useState<number | null>(null);
  const load = useCallback(() => getBonusRanking(year), [year]);
  const { state, reload } = useFetchState<BonusRankingView>(load, `bonuses:${year ?? 'current'}`);
  // The year the backend answered first (its current year): the years offered derive from it.
  const baseYear = useRef<number | null>(null);
  const onSuccess = useCallback(
    (message: string) => {
      actions.addAlert({ type: 'success', message });
      reload();
    },
    [actions, reload],
  );
  const { actionState, run, dismiss } = useCardAction(onSuccess);
  if (state.status === 'success' && baseYear.current === null) baseYear.current = state.data.year;
  const base = baseYear.current;

  return (
    <Flex direction="column" gap="sm">
      <Heading>Annual bonuses</Heading>
      {base !== null ? (
        <Select
          label="Year ranked"
          name="bonus-year"
          value={String(year ?? base)}
          options={[base, base - 1].map((y) => ({ label: String(y), value: String(y) }))}
          onChange={(value) => setYear(Number(value))}
        />
      ) : null}
      {actionState.status === 'failed' ? (
        <Alert title={actionState.title} variant="error">
          <Text testId="award-failure">{actionState.message}</Text>
          <Button variant="transparent" onClick={() => dismiss()}>
            Dismiss
          </Button>
        </Alert>
      ) : null}
      {state.status === 'loading' ? <LoadingSpinner label="Ranking partners by partner-sourced revenue" /> : null}
      {state.status === 'error' ? (
        <ErrorState title="The bonus ranking could not be loaded" type="error">
          <Text>{state.message}</Text>
          <Button onClick={() => reload()}>Retry</Button>
        </ErrorState>
      ) : null}
      {state.status === 'success' ? (
        <Ranking
          view={state.data}
          canAward={canAward}
          busy={actionState.status === 'submitting'}
          actions={actions}
          onAward={(request, partnerName) => void run(`The award to ${partnerName} did not go through`, () => awardBonus(request))}
        />
      ) : null}
    </Flex>
  );
}
