/**
 * The partner's standing (docs/program.md#program-performance): this quarter's minimum with the count and what is
 * needed, last quarter, satisfaction and lead quality against the tier's requirement, each with its reason.
 */
import { DescriptionList, DescriptionListItem, Flex, Heading, List, StatusTag, Text } from '@hubspot/ui-extensions';
import type { PartnerPerformanceView } from '../../api/contract.js';

type Variant = 'success' | 'warning' | 'danger' | 'default';

const MINIMUM: Record<PartnerPerformanceView['minimum']['status'], { label: string; variant: Variant }> = {
  met: { label: 'Minimum met', variant: 'success' },
  on_track: { label: 'On track', variant: 'default' },
  at_risk: { label: 'At risk', variant: 'danger' },
};

export function minimumText(m: PartnerPerformanceView['minimum']): string {
  const got = `${m.count} of ${m.minimum} qualified referrals in ${m.quarterLabel}`;
  if (m.status === 'met') return `${got}: the minimum is met`;
  return `${got}: ${m.requiredToDate} due by today, ${m.remaining} more needed to meet the minimum`;
}

export function PerformanceSection({ performance }: { performance: PartnerPerformanceView | null }) {
  if (performance === null) {
    return (
      <Flex direction="column" gap="sm">
        <Heading>Program performance</Heading>
        <Text testId="performance-none">Applies to referral partners with a tier.</Text>
      </Flex>
    );
  }
  const { minimum, lastQuarter, satisfaction, leadQuality, requirements } = performance;
  const status = MINIMUM[minimum.status];
  return (
    <Flex direction="column" gap="sm">
      <Heading>Program performance</Heading>
      <DescriptionList direction="column">
        <DescriptionListItem label="Quarterly minimum">
          <Flex direction="column" gap="xs">
            <StatusTag variant={status.variant} testId="minimum-status">
              {status.label}
            </StatusTag>
            <Text testId="minimum-text">{minimumText(minimum)}</Text>
          </Flex>
        </DescriptionListItem>
        <DescriptionListItem label={`Last quarter (${lastQuarter.label})`}>
          <Flex direction="column" gap="xs">
            <StatusTag variant={lastQuarter.value === 'missed' ? 'danger' : lastQuarter.value === 'met' ? 'success' : 'default'} testId="last-quarter">
              {lastQuarter.value === 'missed' ? 'Missed' : lastQuarter.value === 'met' ? 'Met' : 'Not judged'}
            </StatusTag>
            <Text>{lastQuarter.reason}</Text>
          </Flex>
        </DescriptionListItem>
        <DescriptionListItem label="Client satisfaction">
          <Flex direction="column" gap="xs">
            <Text testId="satisfaction">
              {satisfaction.value === null ? 'No score yet' : satisfaction.value}
              {satisfaction.required === null ? ' (no requirement for this tier)' : ` (requirement ${satisfaction.required})`}
            </Text>
            <Text>{satisfaction.reason}</Text>
          </Flex>
        </DescriptionListItem>
        <DescriptionListItem label="Lead quality">
          <Flex direction="column" gap="xs">
            <Text testId="lead-quality">{leadQuality.value === null ? 'No score yet' : leadQuality.value}</Text>
            <Text>{leadQuality.reason}</Text>
          </Flex>
        </DescriptionListItem>
        <DescriptionListItem label="Tier requirements">
          <Flex direction="column" gap="xs">
            <StatusTag variant={requirements.value === 'met' ? 'success' : 'warning'} testId="requirements">
              {requirements.value === 'met' ? 'Met' : 'Not met'}
            </StatusTag>
            <List testId="requirement-reasons">
              {requirements.reasons.map((r) => (
                <Text key={r}>{r}</Text>
              ))}
            </List>
          </Flex>
        </DescriptionListItem>
      </DescriptionList>
    </Flex>
  );
}
