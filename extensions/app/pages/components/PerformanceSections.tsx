/** docs/program.md#program-performance on the home page: who needs attention, each linking to the company record. */
import { Flex, Heading, Link, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import type { HomeView, PerformanceRow } from '../../cards/api/contract.js';

function PartnerList({ title, rows, empty, testId }: { title: string; rows: PerformanceRow[]; empty: string; testId: string }) {
  return (
    <Flex direction="column" gap="sm">
      <Heading>{title}</Heading>
      {rows.length === 0 ? (
        <Text>{empty}</Text>
      ) : (
        <Table bordered={true} testId={testId}>
          <TableHead>
            <TableRow>
              <TableHeader>Partner</TableHeader>
              <TableHeader>Tier</TableHeader>
              <TableHeader>Why</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.companyId}>
                <TableCell>
                  {r.recordUrl === null ? (
                    r.name
                  ) : (
                    <Link href={{ url: r.recordUrl, external: false }} testId={`company-${r.companyId}`}>
                      {r.name}
                    </Link>
                  )}
                </TableCell>
                <TableCell>{r.tier ?? '—'}</TableCell>
                <TableCell>{r.detail}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}

export function PerformanceSections({ performance }: { performance: HomeView['performance'] }) {
  return (
    <Flex direction="column" gap="md">
      <PartnerList title="Partners at risk this quarter" rows={performance.atRisk} empty="No partner is at risk this quarter." testId="at-risk" />
      <PartnerList
        title="Missed the minimum last quarter"
        rows={performance.missedLastQuarter}
        empty="No partner missed last quarter."
        testId="missed-last-quarter"
      />
      <PartnerList
        title="Below their satisfaction requirement"
        rows={performance.belowSatisfaction}
        empty="No partner is below its satisfaction requirement."
        testId="below-satisfaction"
      />
    </Flex>
  );
}
