/**
 * The product's features, put together on a runtime: the HTTP routes beyond webhooks and health (card backend,
 * workflow action, payouts export) and the worker handlers beyond recomputes (workflow action completion,
 * registration expiry, retention bonus). `runApp` mounts exactly these; tests can mount any one alone.
 */
import type { Router } from 'express';
import type { Runtime } from './runtime.js';
import { portalCardRoutes } from './portal/card-routes.js';
import { createPortalContext, portalRoutes } from './portal/routes.js';
import { cardRoutes } from './server/cards/routes.js';
import type { SignatureSettings } from './server/middleware/verify-hubspot.js';
import { payoutsExportRoutes } from './server/routes/payouts-export.js';
import { resultsExportRoutes } from './server/routes/results-export.js';
import { workflowActionRoutes } from './server/routes/workflow-actions.js';
import { exportPayouts } from './services/export-payouts.js';
import { programRoles } from './services/program-roles.js';
import { loadProgramResults, resultsCsv } from './services/program-results.js';
import { activityDeps, syncActivity } from './services/activities.js';
import { completeWorkflowAction } from './services/complete-workflow-action.js';
import type { StartWorkersOptions } from '../workers/main.js';
import { expiryMaintenanceHandlers } from '../workers/processors/expiry.js';
import { retentionMaintenanceHandlers } from '../workers/processors/retention.js';

export function featureRouters(rt: Runtime, signature: SignatureSettings): Router[] {
  const portal = createPortalContext(rt);
  return [
    cardRoutes(rt, { signature }),
    portalCardRoutes(rt, { signature, context: portal }),
    portalRoutes(rt, { context: portal }),
    workflowActionRoutes({
      signature,
      redis: rt.producerRedis,
      queue: rt.queues.sync,
      prefix: rt.env.QUEUE_PREFIX,
      logger: rt.logger.child({ component: 'workflow-action' }),
    }),
    payoutsExportRoutes({
      signature,
      adminToken: rt.env.ADMIN_TOKEN,
      portalId: rt.env.HUBSPOT_PORTAL_ID,
      mayExport: (userId) => programRoles(rt).mayExport(userId),
      exportPayouts: (query) => exportPayouts(rt.ctx, query),
      logger: rt.logger.child({ component: 'payouts-export' }),
    }),
    resultsExportRoutes({
      signature,
      adminToken: rt.env.ADMIN_TOKEN,
      portalId: rt.env.HUBSPOT_PORTAL_ID,
      mayExport: (userId) => programRoles(rt).mayExport(userId),
      timeZone: rt.program.config.timeZone,
      exportResults: async (period) => resultsCsv((await loadProgramResults(rt.ctx, period)).results),
      logger: rt.logger.child({ component: 'results-export' }),
    }),
  ];
}

export function featureWorkerOptions(rt: Runtime): Pick<StartWorkersOptions, 'completeWorkflowAction' | 'maintenanceHandlers' | 'syncActivity'> {
  const activities = activityDeps(rt);
  return {
    ...(activities ? { syncActivity: (activityId: string, reason: string) => syncActivity(activities, activityId, reason) } : {}),
    completeWorkflowAction,
    maintenanceHandlers: { ...expiryMaintenanceHandlers, ...retentionMaintenanceHandlers },
  };
}
