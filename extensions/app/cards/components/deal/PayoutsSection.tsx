import { Flex, Heading, Inline, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { DealCardView } from '../../api/contract.js';
import { humanize, payoutStatusVariant } from '../../format.js';

export function PayoutsSection({ deal, payouts }: { deal: DealCardView['deal']; payouts: DealCardView['payouts'] }) {
  if (!deal.isClosedWon && payouts.records.length === 0) {
    return (
      <Flex direction="column" gap="sm">
        <Heading>Payouts</Heading>
        <Text>Payouts are scheduled when the deal is closed-won.</Text>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Inline gap="sm" align="center">
        <Heading>Payouts</Heading>
        <StatusTag variant={payoutStatusVariant(payouts.status)} testId="payout-status">
          {humanize(payouts.status)}
        </StatusTag>
      </Inline>
      {payouts.records.length === 0 ? (
        <Text>No payout records for this deal.</Text>
      ) : (
        <Table bordered={true} testId="payout-records">
          <TableHead>
            <TableRow>
              <TableHeader>Partner</TableHeader>
              <TableHeader>Role</TableHeader>
              <TableHeader align="right">Amount</TableHeader>
              <TableHeader>Status</TableHeader>
              <TableHeader>Hold reason</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {payouts.records.map((record) => (
              <TableRow key={record.key}>
                <TableCell>{record.partnerName}</TableCell>
                <TableCell>{record.roleLabel}</TableCell>
                <TableCell align="right">{record.amount}</TableCell>
                <TableCell>
                  <StatusTag variant={payoutStatusVariant(record.status)}>{humanize(record.status)}</StatusTag>
                </TableCell>
                <TableCell>{record.holdReason ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
