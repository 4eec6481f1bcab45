import { Flex, Heading, StatusTag, Table, TableBody, TableCell, TableFooter, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { DealCardView } from '../../api/contract.js';
import { commissionStatusVariant, humanize } from '../../format.js';

type Commission = DealCardView['commission'];
type Line = Commission['lines'][number];

function rateOrFee(line: Line): string {
  if (line.rate !== null) return line.rate;
  if (line.flatFee !== null) return `${line.flatFee} flat`;
  return '—';
}

function LineRow({ line }: { line: Line }) {
  return (
    <TableRow>
      <TableCell>{line.partnerName}</TableCell>
      <TableCell>{line.roleLabel}</TableCell>
      <TableCell>{line.basis ?? '—'}</TableCell>
      <TableCell>{rateOrFee(line)}</TableCell>
      <TableCell align="right">{line.amount}</TableCell>
      <TableCell>
        <StatusTag variant={commissionStatusVariant(line.status)}>{humanize(line.status)}</StatusTag>
      </TableCell>
      <TableCell>{line.reason}</TableCell>
    </TableRow>
  );
}

function LinesTable({ lines, footer, testId }: { lines: Line[]; footer?: { label: string; amount: string }; testId: string }) {
  return (
    <Table bordered={true} testId={testId}>
      <TableHead>
        <TableRow>
          <TableHeader>Partner</TableHeader>
          <TableHeader>Role</TableHeader>
          <TableHeader>Basis</TableHeader>
          <TableHeader>Rate or fee</TableHeader>
          <TableHeader align="right">Amount</TableHeader>
          <TableHeader>Status</TableHeader>
          <TableHeader>Why</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map((line) => (
          <LineRow key={`${line.partnerId}:${line.role}:${line.kind}`} line={line} />
        ))}
      </TableBody>
      {footer ? (
        <TableFooter>
          <TableRow>
            <TableCell colSpan={4}>
              <Text format={{ fontWeight: 'bold' }}>{footer.label}</Text>
            </TableCell>
            <TableCell align="right" testId="commission-total">
              <Text format={{ fontWeight: 'bold' }}>{footer.amount}</Text>
            </TableCell>
            <TableCell colSpan={2}>{''}</TableCell>
          </TableRow>
        </TableFooter>
      ) : null}
    </Table>
  );
}

/**
 * The commission preview: one line per partner and role with its reason (a zero line says why), the total,
 * and the retention bonus apart, since it is paid 24 months after the win and is not in the total until then.
 */
export function CommissionSection({ commission }: { commission: Commission }) {
  const commissionLines = commission.lines.filter((l) => l.kind === 'commission');
  const retentionLines = commission.lines.filter((l) => l.kind === 'retention');
  return (
    <Flex direction="column" gap="sm">
      <Heading>Commission preview</Heading>
      <Text>{`Partner tier: ${humanize(commission.partnerTier)}`}</Text>
      {commissionLines.length === 0 ? (
        <Text>No commission lines: no partner on this deal holds a commission role.</Text>
      ) : (
        <LinesTable lines={commissionLines} testId="commission-lines" footer={{ label: `Total (${commission.currency})`, amount: commission.total }} />
      )}
      {retentionLines.length > 0 ? (
        <Flex direction="column" gap="xs">
          <Heading>Retention bonus</Heading>
          <Text testId="retention-scheduled">{`Scheduled: ${commission.retentionScheduled}, not counted in the total until it is paid out.`}</Text>
          <LinesTable lines={retentionLines} testId="retention-lines" />
        </Flex>
      ) : null}
    </Flex>
  );
}
