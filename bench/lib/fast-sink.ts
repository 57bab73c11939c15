// A minimal loopback sink for benchmarks, run as its own process so it does not share the
// client's CPU accounting: reads the body, answers 202. Prints its port on stdout.
// `node bench/lib/fast-sink.ts [port] [delayMs]`
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const port = Number(process.argv[2] ?? 0);
const delayMs = Number(process.argv[3] ?? 0);
let received = 0;
const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    received++;
    if (delayMs > 0) setTimeout(() => response.writeHead(202).end(), delayMs);
    else response.writeHead(202).end();
  });
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => {
  process.stderr.write(`fast-sink received ${received}\n`);
  server.close();
  server.closeAllConnections();
  process.exit(0);
});
