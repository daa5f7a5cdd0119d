import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The HLS baseline: a plain node:http server answering every GET with the one file of argv, read from disk each time. */
const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: segmentServer.ts <file>');

const server = http.createServer((req, res) => {
  if (req.method !== 'GET') {
    res.writeHead(405).end();
    return;
  }
  stat(file).then(
    ({ size }) => {
      res.writeHead(200, { 'content-type': 'video/mp2t', 'content-length': size });
      createReadStream(file).pipe(res);
    },
    (error: unknown) => res.writeHead(500).end(String(error)),
  );
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`segment baseline listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
