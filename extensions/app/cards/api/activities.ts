/**
 * Activities and annual bonuses, for the company card and the app home page (docs/activities.md): record an
 * activity, a partner manager's decision on one, the year's bonus ranking and an award. The backend decides who
 * may do what and answers refusals (a range, who holds Partner of the Year) in words the card shows as they are.
 */
import type {
  ActivityActionResponse,
  ActivityDecisionRequest,
  AwardBonusRequest,
  AwardBonusResponse,
  BonusRankingView,
  RecordActivityRequest,
} from './contract.js';
import { errorMessage } from './errors.js';
import { pathSegment, requestCardApi } from './request.js';
import { activityActionResponseSchema, awardBonusResponseSchema, bonusRankingViewSchema } from './schemas.js';

export function recordActivity(companyId: string, request: RecordActivityRequest): Promise<ActivityActionResponse> {
  return requestCardApi(`/api/cards/companies/${pathSegment(companyId)}/activities`, activityActionResponseSchema, { method: 'POST', body: request });
}

export function decideActivity(activityId: string, request: ActivityDecisionRequest): Promise<ActivityActionResponse> {
  return requestCardApi(`/api/cards/activities/${pathSegment(activityId)}/decision`, activityActionResponseSchema, { method: 'POST', body: request });
}

/** `year` null: the backend's current year. */
export function getBonusRanking(year: number | null): Promise<BonusRankingView> {
  return requestCardApi(`/api/cards/home/bonuses${year === null ? '' : `?year=${year}`}`, bonusRankingViewSchema);
}

export function awardBonus(request: AwardBonusRequest): Promise<AwardBonusResponse> {
  return requestCardApi('/api/cards/home/bonuses', awardBonusResponseSchema, { method: 'POST', body: request });
}

export type CardActionOutcome = { ok: true; message: string } | { ok: false; message: string };

/** Runs one action and never throws: the outcome is what the card shows. */
export async function runCardAction(action: () => Promise<{ message: string }>): Promise<CardActionOutcome> {
  try {
    return { ok: true, message: (await action()).message };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
}
