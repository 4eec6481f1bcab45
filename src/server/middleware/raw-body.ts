/**
 * HubSpot signs the exact bytes it sent, so routes that verify a signature read the body raw and parse JSON
 * only after the signature holds (verify, then parse, then validate).
 */
import express, { type RequestHandler } from 'express';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request body exactly as received (empty Buffer for GET). */
    rawBody?: Buffer;
  }
}

export function rawBody(limitBytes: number): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: limitBytes }),
    (req, _res, next) => {
      req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      next();
    },
  ];
}
