import { Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import type { HomeView } from '../../cards/api/contract.js';
import { daysLeftText, formatDate } from '../../cards/format.js';

export function ExpiringSection({ expiring }: { expiring: HomeView['expiringSoon'] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Protection expiring within 30 days</Heading>
      {expiring.length === 0 ? (
        <Text>No protection expires soon.</Text>
      ) : (
        <Table bordered={true} testId="expiring">
          <TableHead>
            <TableRow>
              <TableHeader>Deal</TableHeader>
              <TableHeader>Partner</TableHeader>
              <TableHeader>Expires</TableHeader>
              <TableHeader>Left</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {expiring.map((e) => (
              <TableRow key={e.dealId}>
                <TableCell>{e.dealName}</TableCell>
                <TableCell>{e.partnerName}</TableCell>
                <TableCell>{formatDate(e.protectionExpiresAt)}</TableCell>
                <TableCell>
                  <Tag variant="warning">{daysLeftText(e.daysLeft)}</Tag>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

export function OnHoldSection({ onHold }: { onHold: HomeView['payoutsOnHold'] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Payouts on hold</Heading>
      {onHold.length === 0 ? (
        <Text>No payout is on hold.</Text>
      ) : (
        <Table bordered={true} testId="on-hold">
          <TableHead>
            <TableRow>
              <TableHeader>Deal</TableHeader>
              <TableHeader>Partner</TableHeader>
              <TableHeader align="right">Amount</TableHeader>
              <TableHeader>Why it is held</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {onHold.map((p) => (
              <TableRow key={p.key}>
                <TableCell>{p.dealName}</TableCell>
                <TableCell>{p.partnerName}</TableCell>
                <TableCell align="right">{p.amount}</TableCell>
                <TableCell>{p.holdReason}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
