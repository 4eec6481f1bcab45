import { createServer } from 'node:net';

/** A TCP port free on 127.0.0.1 right now: the benches start the app and its receivers as processes of their own on it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
