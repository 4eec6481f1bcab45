/**
 * One error answer for the whole API: `{ error: { code, message } }` with the status of the typed error.
 * Cards show `message` as it is, so messages are written for people.
 */
import type { ErrorRequestHandler } from 'express';
import { AppError } from '../../errors.js';
import type { Logger } from '../../logger.js';

interface BodyParserError {
  type?: string;
  status?: number;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const parserError = err as BodyParserError;
    if (parserError?.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'payload_too_large', message: 'The request body is too large.' } });
      return;
    }
    if (err instanceof AppError) {
      if (err.status >= 500) logger.error({ err, path: req.path }, err.message);
      else logger.info({ path: req.path, status: err.status }, err.message);
      res.status(err.status).json({ error: { code: codeOf(err), message: err.message } });
      return;
    }
    logger.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side; try again.' } });
  };
}

function codeOf(err: AppError): string {
  return (
    err.name
      .replace(/Error$/, '')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase() || 'error'
  );
}
