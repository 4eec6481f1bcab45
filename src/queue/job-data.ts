/**
 * Every job the app enqueues, with its data schema. Processors parse `job.data` with these before doing
 * anything, so a malformed job fails once as unrecoverable instead of retrying for ever.
 */
import { z } from 'zod';

export const SYNC_QUEUE = 'sync';
export const MAINTENANCE_QUEUE = 'maintenance';

const id = z.string().regex(/^\d+$/, 'a HubSpot object id');

export const recomputeDealData = z.object({
  dealId: id,
  /** Why: 'webhook', 'card', 'fan-out', 'reconcile', 'workflow' … (logs and metrics only). */
  reason: z.string(),
});
export const recomputeCompanyData = z.object({
  companyId: id,
  reason: z.string(),
});
export const syncActivityData = z.object({
  activityId: id,
  reason: z.string(),
});
/** A `pp_payout` record someone changed (its webhook): read it, which restores it, and recompute its deal. */
export const repairPayoutData = z.object({
  payoutId: id,
  reason: z.string(),
});
/** A contact whose `pp_portal_access` someone set (its webhook): restored unless the app set it. */
export const checkPortalAccessData = z.object({
  contactId: id,
  reason: z.string(),
});
export const completeWorkflowActionData = z.object({
  callbackId: z.string().min(1),
  dealId: id,
});
export type CompleteWorkflowActionData = z.infer<typeof completeWorkflowActionData>;

/** The delayed per-deal check of the client retention bonus, due `retention.months` after closed-won. */
export const retentionCheckData = z.object({
  dealId: id,
  dueAt: z.number().int(),
});
export type RetentionCheckData = z.infer<typeof retentionCheckData>;

export const SYNC_JOBS = {
  recomputeDeal: 'recompute-deal',
  recomputeCompany: 'recompute-company',
  syncActivity: 'sync-activity',
  repairPayout: 'repair-payout',
  checkPortalAccess: 'check-portal-access',
  completeWorkflowAction: 'complete-workflow-action',
} as const;

export const MAINTENANCE_JOBS = {
  reconcile: 'reconcile',
  resync: 'resync',
  associationRefresh: 'association-refresh',
  expirySweep: 'expiry-sweep',
  retentionSweep: 'retention-sweep',
  retentionCheck: 'retention-check',
  quarterStart: 'quarter-start',
  minimumStatus: 'minimum-status',
} as const;
