import type { Request, Response } from 'express';
import type { SandboxStore } from '../store.js';

export type Handler = (req: Request, res: Response) => void | Promise<void>;

/** Registers a route behind the sandbox's guard (token, stats, rate limit, latency). */
export type RouteFn = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, handler: Handler) => void;

export interface RouteContext {
  route: RouteFn;
  store: SandboxStore;
}
