import { readFileSync } from 'node:fs';
import net from 'node:net';

// A port the OS hands out for port 0 comes from the ephemeral range, the range outgoing connections (to FerretDB,
// SeaweedFS, the servers under test) take their local ports from too: between the probe closing and the child process
// listening, one of them can take it (EADDRINUSE in CI). Ports for other processes therefore come from below that
// range, each handed out once per run, starting at a random place so that two runs on one machine rarely meet.
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && low > 12_000) return low;
  } catch {
    // not Linux: the probe below still checks each port
  }
  return 32_768;
}

const first = 10_000;
const last = ephemeralStart() - 1;
let next = first + Math.floor(Math.random() * (last - first));

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A loopback port outside the ephemeral range, free now and not handed out before in this run. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries <= last - first; tries += 1) {
    const port = next;
    next = next >= last ? first : next + 1;
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port between ${first} and ${last}`);
}
