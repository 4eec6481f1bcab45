/**
 * The program results as the app home page shows them (GET /api/cards/results): money formatted in the portal
 * currency, percentages with their sign, and the revenue and cost per component for the bar chart.
 */
import type { ResultsView } from '../../../extensions/app/cards/api/contract.js';
import { formatMoney, toMajorString } from '../../engine/money.js';
import type { ProgramResults } from '../../engine/results.js';
import { COMPONENT_LABELS } from '../program-results.js';

const pct = (p: number | null): string | null => (p === null ? null : `${p}%`);

export function resultsView(results: ProgramResults, csvUrl: string | null): ResultsView {
  const c = results.currency;
  const money = (m: number) => formatMoney(m, c);
  return {
    period: { from: results.period.from, to: results.period.to },
    currency: c,
    rows: results.components.map((r) => ({
      component: r.component,
      label: COMPONENT_LABELS[r.component],
      revenue: money(r.revenue),
      deals: r.deals,
      cost: money(r.cost),
      payouts: r.payouts,
      roi: pct(r.roiPercent),
      budget: r.budget === null ? null : money(r.budget),
      budgetUsed: pct(r.budgetUsedPercent),
    })),
    fixedCosts: results.fixedCosts.map((f) => ({ label: f.name.replace(/_/g, ' '), amount: money(f.amount), annual: money(f.annual) })),
    total: {
      revenue: money(results.total.revenue),
      deals: results.total.deals,
      cost: money(results.total.cost),
      roi: pct(results.total.roiPercent),
      budget: money(results.total.budget),
      budgetUsed: pct(results.total.budgetUsedPercent),
    },
    otherCurrencies: results.otherCurrencies.map((o) => ({
      currency: o.currency,
      revenue: formatMoney(o.revenue, o.currency),
      cost: formatMoney(o.cost, o.currency),
      dealNames: o.dealNames,
    })),
    // Components with nothing in the period are left out of the chart (the table still lists them).
    chart: results.components
      .filter((r) => r.revenue !== 0 || r.cost !== 0)
      .flatMap((r) => [
        { component: COMPONENT_LABELS[r.component], measure: 'Revenue' as const, amount: Number(toMajorString(r.revenue, c)) },
        { component: COMPONENT_LABELS[r.component], measure: 'Cost' as const, amount: Number(toMajorString(r.cost, c)) },
      ]),
    csvUrl,
  };
}
