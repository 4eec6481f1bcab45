/**
 * The reference receiver of `npm run bench:ack`, run as a process of its own as the app's receiver is: Node's http
 * server that reads the body and stores it with one LPUSH, no signature check and no parsing. Not a product
 * command: bench/ack.ts starts it (env MINIMAL_PORT, MINIMAL_KEY, REDIS_URL) and reads "listening <port>".
 */
import { createServer } from 'node:http';
import { createRedis } from '../src/queue/connections.js';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
const key = process.env.MINIMAL_KEY ?? 'bench-ack:minimal';
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    redis.lpush(key, Buffer.concat(chunks)).then(
      () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
      () => res.writeHead(503).end(),
    );
  });
});
server.listen(Number(process.env.MINIMAL_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  redis.disconnect();
});
