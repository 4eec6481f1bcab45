import { Alert, DescriptionList, DescriptionListItem, Flex, Heading, StatusTag, Tag, Text } from '@hubspot/ui-extensions';
import type { DealCardView, RegistrationActionRequest } from '../../api/contract.js';
import { formatDate, humanize, protectionTag, registrationStatusVariant } from '../../format.js';
import { DecisionButtons, RegisterDealButton, ResolveDisputeButton } from './RegistrationActions.js';

type Registration = NonNullable<DealCardView['registration']>;

function byWhom(at: string | null, who: string | null): string {
  return who === null || who === '' ? formatDate(at) : `${formatDate(at)} by ${who}`;
}

function DisputeAlert({ registration }: { registration: Registration }) {
  const conflict = registration.conflict;
  if (conflict === null) {
    return (
      <Alert title="Disputed registration" variant="warning">
        {`${registration.partnerName}'s registration conflicts with another partner's approved registration for the same customer.`}
      </Alert>
    );
  }
  const other = conflict.partnerName ?? `Company ${conflict.partnerId}`;
  const where = conflict.dealName ?? `deal ${conflict.dealId}`;
  return (
    <Alert title="Disputed registration" variant="warning">
      {`${registration.partnerName} registered this deal, but ${other} holds an approved registration for the same customer (${where}). A partner manager decides which partner keeps protection.`}
    </Alert>
  );
}

function RegistrationDetails({ registration }: { registration: Registration }) {
  const protection = protectionTag(registration.protectionStatus, registration.daysLeft);
  return (
    <DescriptionList direction="row">
      <DescriptionListItem label="Registered for">
        <Text>{registration.partnerName}</Text>
      </DescriptionListItem>
      <DescriptionListItem label="Status">
        <StatusTag variant={registrationStatusVariant(registration.status)} testId="registration-status">
          {humanize(registration.status)}
        </StatusTag>
      </DescriptionListItem>
      <DescriptionListItem label="Protection">
        <Tag variant={protection.variant} testId="protection">
          {protection.label}
        </Tag>
      </DescriptionListItem>
      {registration.protectionExpiresAt !== null ? (
        <DescriptionListItem label="Protected until">
          <Text>{formatDate(registration.protectionExpiresAt)}</Text>
        </DescriptionListItem>
      ) : null}
      <DescriptionListItem label="Submitted">
        <Text>{byWhom(registration.submittedAt, registration.submittedBy)}</Text>
      </DescriptionListItem>
      {registration.decidedAt !== null ? (
        <DescriptionListItem label="Decided">
          <Text>{byWhom(registration.decidedAt, registration.decidedBy)}</Text>
        </DescriptionListItem>
      ) : null}
      {registration.reason !== null && registration.reason !== '' ? (
        <DescriptionListItem label="Reason">
          <Text>{registration.reason}</Text>
        </DescriptionListItem>
      ) : null}
    </DescriptionList>
  );
}

/** A new registration makes sense only when none is running: none yet, or the last one ended. */
const canRegister = (registration: DealCardView['registration']): boolean =>
  registration === null || registration.status === 'rejected' || registration.status === 'expired';

export function RegistrationSection({
  view,
  busy,
  closeOverlay,
  submit,
}: {
  view: DealCardView;
  busy: boolean;
  closeOverlay: (id: string) => void;
  submit: (request: RegistrationActionRequest) => void;
}) {
  const { registration, viewer, registrationVersion: expectedVersion } = view;
  const awaitingDecision = registration !== null && (registration.status === 'pending' || registration.status === 'disputed');
  const partnerChoices = view.partners.map((p) => ({ id: p.companyId, name: p.name }));
  return (
    <Flex direction="column" gap="sm">
      <Heading>Deal registration</Heading>
      {registration === null ? (
        <Text>Not registered. A registration, once a partner manager approves it, protects the partner's claim on this customer.</Text>
      ) : (
        <>
          {registration.status === 'disputed' ? <DisputeAlert registration={registration} /> : null}
          <RegistrationDetails registration={registration} />
        </>
      )}
      {canRegister(registration) ? (
        <RegisterDealButton
          partners={partnerChoices}
          disabled={busy}
          closeOverlay={closeOverlay}
          onRegister={(partnerId) => submit({ action: 'register', partnerId, expectedVersion })}
        />
      ) : null}
      {awaitingDecision && viewer.isPartnerManager && registration.status === 'pending' ? (
        <DecisionButtons
          disabled={busy}
          closeOverlay={closeOverlay}
          onApprove={() => submit({ action: 'approve', expectedVersion })}
          onReject={(reason) => submit({ action: 'reject', reason, expectedVersion })}
        />
      ) : null}
      {awaitingDecision && viewer.isPartnerManager && registration.status === 'disputed' ? (
        <ResolveDisputeButton
          partners={[
            { id: registration.partnerId, name: registration.partnerName },
            ...(registration.conflict === null
              ? []
              : [{ id: registration.conflict.partnerId, name: registration.conflict.partnerName ?? `Company ${registration.conflict.partnerId}` }]),
          ]}
          disabled={busy}
          closeOverlay={closeOverlay}
          onResolve={(winnerPartnerId) => submit({ action: 'resolve', winnerPartnerId, expectedVersion })}
        />
      ) : null}
      {awaitingDecision && !viewer.isPartnerManager ? (
        <Text variant="microcopy" testId="managers-hint">
          {viewer.managersHint}
        </Text>
      ) : null}
    </Flex>
  );
}
