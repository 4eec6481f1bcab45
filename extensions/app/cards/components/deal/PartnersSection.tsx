import { Flex, Heading, Inline, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import type { DealCardView } from '../../api/contract.js';
import { humanize } from '../../format.js';

type Partner = DealCardView['partners'][number];

function TierTags({ tiers }: { tiers: Partner['tiers'] }) {
  const shown = [
    { program: 'Referral', value: tiers.referral },
    { program: 'Co-marketing', value: tiers.coMarketing },
    { program: 'Co-selling', value: tiers.coSelling },
  ].filter((t) => t.value !== null && t.value !== '');
  if (shown.length === 0) return <Text variant="microcopy">No tier</Text>;
  return (
    <Inline gap="xs">
      {shown.map((t) => (
        <Tag key={t.program}>{`${t.program}: ${humanize(t.value)}`}</Tag>
      ))}
    </Inline>
  );
}

export function PartnersSection({ partners }: { partners: Partner[] }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>Partners on this deal</Heading>
      <Table bordered={true} testId="partners">
        <TableHead>
          <TableRow>
            <TableHeader>Company</TableHeader>
            <TableHeader>Role</TableHeader>
            <TableHeader>Partner type</TableHeader>
            <TableHeader>Tiers</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {partners.map((partner) => (
            <TableRow key={partner.companyId}>
              <TableCell>
                <Flex direction="column" gap="xs">
                  <Text format={{ fontWeight: 'demibold' }}>{partner.name}</Text>
                  {partner.highPerformer ? <Tag variant="success">High performer</Tag> : null}
                  {/* docs/program.md#holds: payouts are held while no partner agreement is on file. */}
                  {partner.agreementSigned ? null : <Tag variant="warning">No signed agreement</Tag>}
                </Flex>
              </TableCell>
              <TableCell>
                <Inline gap="xs">
                  {partner.roles.map((r) => (
                    <Tag key={r.role} variant="info">
                      {r.label}
                    </Tag>
                  ))}
                </Inline>
              </TableCell>
              <TableCell>{humanize(partner.partnerType, 'Not set')}</TableCell>
              <TableCell>
                <TierTags tiers={partner.tiers} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
