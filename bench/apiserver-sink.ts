// A counting loopback sink for `bench/apiserver.ts`, in its own process so its CPU is not the
// adapter's or the API server's: answers 202 to every POST, prints `{"port"}` when listening and
// `{"count","firstAt","lastAt"}` (epoch ms) once `expected` requests arrived; with `delayMs`, each
// answer waits that long (a sink across a network). `node bench/apiserver-sink.ts <expected> [delayMs]`
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const expected = Number(process.argv[2] ?? 10_000);
const delayMs = Number(process.argv[3] ?? 0);
let count = 0;
let firstAt = 0;
const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    const answer = () => {
      response.writeHead(202).end();
      count++;
      if (count === 1) firstAt = Date.now();
      if (count === expected)
        process.stdout.write(`${JSON.stringify({ count, firstAt, lastAt: Date.now() })}\n`);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.listen(0, '127.0.0.1', () =>
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`),
);
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  process.exit(0);
});
