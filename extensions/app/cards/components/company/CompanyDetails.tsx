import {
  DescriptionList,
  DescriptionListItem,
  Flex,
  Heading,
  Inline,
  Link,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { CompanyCardView } from '../../api/contract.js';
import { humanize, payoutStatusVariant, protectionTag, registrationStatusVariant } from '../../format.js';
import { PerformanceSection } from './PerformanceSection.js';

function TiersTable({ tiers }: { tiers: CompanyCardView['tiers'] }) {
  const rows = [
    { program: 'Referral', tier: tiers.referral },
    { program: 'Co-marketing', tier: tiers.coMarketing },
    { program: 'Co-selling', tier: tiers.coSelling },
  ];
  return (
    <Table bordered={true} testId="tiers">
      <TableHead>
        <TableRow>
          <TableHeader>Program</TableHeader>
          <TableHeader>Tier</TableHeader>
          <TableHeader>Why</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.program}>
            <TableCell>{row.program}</TableCell>
            <TableCell>{humanize(row.tier.value)}</TableCell>
            <TableCell>{row.tier.reason}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function referralsText(referrals: CompanyCardView['referrals']): string {
  const count = referrals.count === 1 ? '1 qualified referral' : `${referrals.count} qualified referrals`;
  const minimum = referrals.minimum === null ? 'no quarterly minimum applies' : `quarterly minimum ${referrals.minimum}`;
  return `${count} in ${referrals.quarterLabel} (${minimum})`;
}

function OpenRegistrations({ registrations }: { registrations: CompanyCardView['openRegistrations'] }) {
  if (registrations.length === 0) return <Text>No open registrations.</Text>;
  return (
    <Table bordered={true} testId="open-registrations">
      <TableHead>
        <TableRow>
          <TableHeader>Deal</TableHeader>
          <TableHeader>Status</TableHeader>
          <TableHeader>Protection</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {registrations.map((r) => {
          const protection = protectionTag(r.protectionStatus, r.daysLeft);
          return (
            <TableRow key={r.dealId}>
              <TableCell>{r.dealName}</TableCell>
              <TableCell>
                <StatusTag variant={registrationStatusVariant(r.status)}>{humanize(r.status)}</StatusTag>
              </TableCell>
              <TableCell>
                <Tag variant={protection.variant}>{protection.label}</Tag>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function PayoutsByStatus({ payouts }: { payouts: CompanyCardView['payouts'] }) {
  if (payouts.length === 0) return <Text>No payouts yet.</Text>;
  return (
    <Table bordered={true} testId="payouts-by-status">
      <TableHead>
        <TableRow>
          <TableHeader>Status</TableHeader>
          <TableHeader>Payouts</TableHeader>
          <TableHeader align="right">Total</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {payouts.map((p) => (
          <TableRow key={`${p.status}:${p.currency}`}>
            <TableCell>
              <StatusTag variant={payoutStatusVariant(p.status)}>{humanize(p.status)}</StatusTag>
            </TableCell>
            <TableCell>{String(p.count)}</TableCell>
            <TableCell align="right">{`${p.total} ${p.currency}`}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export function CompanyDetails({ view }: { view: CompanyCardView }) {
  return (
    <Flex direction="column" gap="md">
      <Inline gap="sm" align="center">
        <Heading>{view.company.name}</Heading>
        <Tag testId="partner-type">{humanize(view.company.partnerType, 'Partner type not set')}</Tag>
      </Inline>

      <Flex direction="column" gap="sm">
        <Heading>Tiers</Heading>
        <TiersTable tiers={view.tiers} />
      </Flex>

      <Flex direction="column" gap="sm">
        <Heading>Referrals this quarter</Heading>
        <Text testId="referrals">{referralsText(view.referrals)}</Text>
        <Inline gap="sm" align="center">
          {view.highPerformer.value ? (
            <Tag variant="success" testId="high-performer">
              High performer
            </Tag>
          ) : (
            <Tag testId="high-performer">Not a high performer</Tag>
          )}
          <Text>{view.highPerformer.reason}</Text>
        </Inline>
      </Flex>

      <PerformanceSection performance={view.performance} />

      <DescriptionList direction="row">
        <DescriptionListItem label="Partner agreement">
          {view.agreements.agreementSigned ? (
            <Tag variant="success" testId="agreement">
              Signed
            </Tag>
          ) : (
            <Tag variant="warning" testId="agreement">
              Not signed: payouts are held
            </Tag>
          )}
        </DescriptionListItem>
        <DescriptionListItem label="Business associate agreement">
          <Tag variant={view.agreements.baaSigned ? 'success' : 'default'} testId="baa">
            {view.agreements.baaSigned ? 'Signed' : 'Not signed'}
          </Tag>
        </DescriptionListItem>
      </DescriptionList>

      <Flex direction="column" gap="sm">
        <Heading>Open registrations</Heading>
        <OpenRegistrations registrations={view.openRegistrations} />
      </Flex>

      <Flex direction="column" gap="sm">
        <Heading>Payouts</Heading>
        <PayoutsByStatus payouts={view.payouts} />
        {view.exportUrl !== null ? (
          <Link href={{ url: view.exportUrl, external: true }} testId="export-csv">
            Download this partner's payouts (CSV)
          </Link>
        ) : null}
      </Flex>
    </Flex>
  );
}
