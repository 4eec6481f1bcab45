/**
 * Operations: Prometheus metrics at /metrics and the queue dashboard (bull-board) at /admin/queues, both behind
 * ADMIN_TOKEN (Bearer header, or HTTP Basic with the token as password so a browser can open it). Without
 * ADMIN_TOKEN the dashboard is off (404): it can retry and delete jobs, so it is never open by default.
 */
import { createBullBoard } from '@bull-board/api';
import { safeEqual } from '../../safe-equal.js';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Router, type RequestHandler } from 'express';
import type { Runtime } from '../../runtime.js';

export function adminAuth(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (!token) {
      res.status(404).json({ error: { code: 'not_found', message: 'No such route.' } });
      return;
    }
    const header = req.headers.authorization ?? '';
    const bearer = header.startsWith('Bearer ') ? header.slice(7) : null;
    const basic = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8').split(':').slice(1).join(':') : null;
    const given = bearer ?? basic;
    if (given !== null && safeEqual(given, token)) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="partner-program admin"');
    res.status(401).json({ error: { code: 'unauthorized', message: 'An admin token is required.' } });
  };
}

export function opsRoutes(rt: Runtime): Router {
  const router = Router();
  // Metrics name queues, operations and volumes: behind the admin credential like the dashboard (Prometheus
  // sends it as `authorization: Bearer <ADMIN_TOKEN>`); without ADMIN_TOKEN, 404.
  router.get('/metrics', adminAuth(rt.env.ADMIN_TOKEN), async (_req, res) => {
    res.setHeader('Content-Type', rt.metrics.registry.contentType);
    res.send(await rt.metrics.registry.metrics());
  });
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({ queues: [new BullMQAdapter(rt.queues.sync), new BullMQAdapter(rt.queues.maintenance)], serverAdapter: board });
  router.use('/admin/queues', adminAuth(rt.env.ADMIN_TOKEN), board.getRouter());
  return router;
}
