import type { ResultsView } from './contract.js';
import { requestCardApi } from './request.js';
import { resultsViewSchema } from './schemas.js';

/** The program results for a period (both days included); without one, the current calendar year. */
export function getResults(period: { from: string; to: string } | null): Promise<ResultsView> {
  const query = period === null ? '' : `?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;
  return requestCardApi(`/api/cards/results${query}`, resultsViewSchema);
}
