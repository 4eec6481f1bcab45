/**
 * The registration expiry sweep's maintenance job (docs/program.md#deal-registration), for
 * `StartWorkersOptions.maintenanceHandlers`: one service call.
 */
import { MAINTENANCE_JOBS } from '../../src/queue/job-data.js';
import type { Runtime } from '../../src/runtime.js';
import { expireRegistrations } from '../../src/services/expire-registrations.js';
import type { MaintenanceHandlers } from './maintenance.js';

export const expiryMaintenanceHandlers: MaintenanceHandlers = {
  [MAINTENANCE_JOBS.expirySweep]: (rt: Runtime) => expireRegistrations(rt.ctx),
};
