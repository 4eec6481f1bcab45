/**
 * docs/program.md#program-results on the home page: revenue, cost, ROI and budget per program component for a chosen
 * period (a table and HubSpot's bar chart), the fixed costs and the program total, other currencies apart, and
 * the CSV. The periods offered derive from the period the backend answered (the current year by default), so
 * the page never reads a clock of its own.
 */
import {
  Alert,
  BarChart,
  Button,
  ErrorState,
  Flex,
  Heading,
  Link,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableFooter,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import { useCallback, useState } from 'react';
import type { ResultsView } from '../../cards/api/contract.js';
import { getResults } from '../../cards/api/get-results.js';
import { useFetchState } from '../../cards/hooks/use-fetch-state.js';

type Period = { from: string; to: string };

/** The year shown, the year before, and the quarters of the year shown. */
export function periodChoices(shown: Period): { label: string; value: string }[] {
  const year = Number(shown.from.slice(0, 4));
  const q = (n: number, from: string, to: string) => ({ label: `${year} Q${n}`, value: `${year}-${from}|${year}-${to}` });
  return [
    { label: `${year}`, value: `${year}-01-01|${year}-12-31` },
    { label: `${year - 1}`, value: `${year - 1}-01-01|${year - 1}-12-31` },
    q(1, '01-01', '03-31'),
    q(2, '04-01', '06-30'),
    q(3, '07-01', '09-30'),
    q(4, '10-01', '12-31'),
  ];
}

function ResultsTable({ view }: { view: ResultsView }) {
  return (
    <Table bordered={true} testId="results">
      <TableHead>
        <TableRow>
          <TableHeader>Component</TableHeader>
          <TableHeader align="right">Revenue</TableHeader>
          <TableHeader align="right">Cost</TableHeader>
          <TableHeader align="right">ROI</TableHeader>
          <TableHeader align="right">Budget</TableHeader>
          <TableHeader align="right">Budget used</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {view.rows.map((r) => (
          <TableRow key={r.component}>
            <TableCell>{r.label}</TableCell>
            <TableCell align="right">{r.revenue}</TableCell>
            <TableCell align="right">{r.cost}</TableCell>
            <TableCell align="right">{r.roi ?? '—'}</TableCell>
            <TableCell align="right">{r.budget ?? '—'}</TableCell>
            <TableCell align="right">{r.budgetUsed ?? '—'}</TableCell>
          </TableRow>
        ))}
        {view.fixedCosts.map((f) => (
          <TableRow key={f.label}>
            <TableCell>{`Fixed cost: ${f.label}`}</TableCell>
            <TableCell align="right">—</TableCell>
            <TableCell align="right">{f.amount}</TableCell>
            <TableCell align="right">—</TableCell>
            <TableCell align="right">{f.annual}</TableCell>
            <TableCell align="right">—</TableCell>
          </TableRow>
        ))}
      </TableBody>
      <TableFooter>
        <TableRow>
          <TableHeader>Program total</TableHeader>
          <TableHeader align="right">{view.total.revenue}</TableHeader>
          <TableHeader align="right">{view.total.cost}</TableHeader>
          <TableHeader align="right">{view.total.roi ?? '—'}</TableHeader>
          <TableHeader align="right">{view.total.budget}</TableHeader>
          <TableHeader align="right">{view.total.budgetUsed ?? '—'}</TableHeader>
        </TableRow>
      </TableFooter>
    </Table>
  );
}

export function ResultsSection() {
  const [period, setPeriod] = useState<Period | null>(null);
  const load = useCallback(() => getResults(period), [period]);
  const { state, reload } = useFetchState<ResultsView>(load, `results:${period?.from ?? ''}:${period?.to ?? ''}`);

  let body;
  if (state.status === 'loading') body = <LoadingSpinner label="Loading the program results" />;
  else if (state.status === 'error') {
    body = (
      <ErrorState title="The program results could not be loaded" type="error">
        <Text>{state.message}</Text>
        <Button testId="results-retry" onClick={() => reload()}>
          Retry
        </Button>
      </ErrorState>
    );
  } else {
    const view = state.data;
    const shown = `${view.period.from}|${view.period.to}`;
    const choices = periodChoices(view.period);
    body = (
      <Flex direction="column" gap="sm">
        <Select
          label="Period"
          name="results-period"
          testId="results-period"
          value={choices.some((c) => c.value === shown) ? shown : undefined}
          options={choices}
          onChange={(value) => {
            const [from, to] = String(value).split('|');
            if (from && to) setPeriod({ from, to });
          }}
        />
        <Text testId="results-heading">{`${view.period.from} to ${view.period.to}, ${view.currency}`}</Text>
        <ResultsTable view={view} />
        {view.chart.length > 0 ? (
          <BarChart
            data={view.chart}
            axes={{
              x: { field: 'component', fieldType: 'category', label: 'Program component' },
              y: { field: 'amount', fieldType: 'linear', label: view.currency },
              options: { groupFieldByColor: 'measure' },
            }}
            options={{ title: 'Revenue and cost per component', showLegend: true, showTooltips: true }}
          />
        ) : null}
        {view.otherCurrencies.map((o) => (
          <Alert key={o.currency} title={`${o.currency}: counted apart, not converted`} variant="info">
            {`Revenue ${o.revenue}, cost ${o.cost}: ${o.dealNames.join(', ')}`}
          </Alert>
        ))}
        {view.csvUrl !== null ? (
          <Link href={{ url: view.csvUrl, external: true }} testId="results-csv">
            Download these results (CSV)
          </Link>
        ) : null}
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="sm">
      <Heading>Program results</Heading>
      {body}
    </Flex>
  );
}
