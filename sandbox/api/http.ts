/** Request helpers shared by the routes: zod at the boundary, HubSpot's batch limit, query lists. */
import type { Request } from 'express';
import { z } from 'zod';
import { invalid } from './errors.js';

export const BATCH_LIMIT = 100;

/** Parses a body with zod; a refusal is HubSpot's 400 VALIDATION_ERROR naming each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const errors = r.error.issues.map((i) => ({
    message: i.message,
    in: i.path.length > 0 ? i.path.join('.') : 'body',
    code: i.code,
  }));
  throw invalid(`Invalid input JSON: ${errors.map((e) => `${e.in}: ${e.message}`).join('; ')}`, errors);
}

/** Batch endpoints refuse more than 100 inputs as a whole. */
export function checkBatchSize(inputs: readonly unknown[]): void {
  if (inputs.length > BATCH_LIMIT) {
    throw invalid(`Batch input limit exceeded: ${inputs.length} inputs, the maximum is ${BATCH_LIMIT}.`, [
      { message: `size must be between 0 and ${BATCH_LIMIT}`, in: 'inputs', code: 'TOO_MANY_INPUTS' },
    ]);
  }
}

/** `?properties=a,b&properties=c` → ['a', 'b', 'c']; absent → undefined. */
export function queryList(req: Request, name: string): string[] | undefined {
  const raw: unknown = req.query[name];
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const list = parts.map((p) => p.trim()).filter((p) => p !== '');
  return list;
}

export function queryString(req: Request, name: string): string | undefined {
  const raw: unknown = req.query[name];
  if (raw === undefined) return undefined;
  return Array.isArray(raw) ? String(raw[0]) : String(raw);
}

export function queryBool(req: Request, name: string): boolean {
  return queryString(req, name) === 'true';
}

export function param(req: Request, name: string): string {
  const v: unknown = req.params[name];
  if (typeof v !== 'string') throw invalid(`missing path parameter ${name}`);
  return v;
}

const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export const propertiesSchema = z.record(z.string(), propertyValue);

export const associationSpecSchema = z.object({
  associationCategory: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']).optional(),
  associationTypeId: z.coerce.number().int(),
});

export const objectIdSchema = z.object({ id: z.union([z.string(), z.number()]).transform(String) });
