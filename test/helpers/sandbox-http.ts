/**
 * Plain HTTP against the sandbox portal, as HubSpot's reference documents each call: for the sandbox's own
 * tests, which check the wire shapes (the app's client is tested in test/hubspot).
 */
type Query = Record<string, string | number | boolean | readonly string[]>;

export interface HttpFailure {
  code: number;
  body: { status: string; category: string; message: string; errors?: { in?: string; message?: string; context?: Record<string, unknown> }[] } & Record<
    string,
    unknown
  >;
}

export interface SandboxHttp {
  /** The answer's body; throws when the status is not 2xx. */
  ok<T = any>(method: string, path: string, body?: unknown, query?: Query): Promise<T>;
  /** Status and body of an answer that must not be 2xx (throws if it is). */
  fail(method: string, path: string, body?: unknown, query?: Query): Promise<HttpFailure>;
  /** Any answer: status and parsed body (undefined when empty). */
  send(method: string, path: string, body?: unknown, query?: Query): Promise<{ status: number; body: unknown }>;
}

export function sandboxHttp(baseUrl: string, token: string): SandboxHttp {
  async function send(method: string, path: string, body?: unknown, query?: Query): Promise<{ status: number; body: unknown }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (Array.isArray(v)) for (const item of v as readonly string[]) params.append(k, item);
      else params.append(k, String(v));
    }
    const qs = params.toString();
    const res = await fetch(`${baseUrl}${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }
  return {
    send,
    async ok(method, path, body, query) {
      const res = await send(method, path, body, query);
      if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body as never;
    },
    async fail(method, path, body, query) {
      const res = await send(method, path, body, query);
      if (res.status >= 200 && res.status < 300) throw new Error(`${method} ${path} was expected to fail, answered ${res.status}`);
      return { code: res.status, body: res.body as HttpFailure['body'] };
    },
  };
}
