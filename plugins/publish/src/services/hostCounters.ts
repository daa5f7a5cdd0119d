import { readFile } from 'node:fs/promises';
import os from 'node:os';

/** The host's cumulative counters at one moment; two readings give rates. */
export interface HostCounters {
  at: number;
  cpuBusy: number;
  cpuTotal: number;
  netIn: number;
  netOut: number;
  diskRead: number;
  diskWrite: number;
}

const SECTOR_BYTES = 512;

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n');
}

/** Bytes received and sent over every interface but loopback (/proc/net/dev; 0 where there is none). */
async function network(): Promise<{ netIn: number; netOut: number }> {
  let netIn = 0;
  let netOut = 0;
  for (const line of (await lines('/proc/net/dev')).slice(2)) {
    const [name, rest] = line.split(':');
    if (!rest || name!.trim() === 'lo') continue;
    const fields = rest.trim().split(/\s+/).map(Number);
    netIn += fields[0] ?? 0;
    netOut += fields[8] ?? 0;
  }
  return { netIn, netOut };
}

const isWholeDisk = (name: string) => /^(sd|vd|xvd|hd)[a-z]+$/.test(name) || /^(nvme\d+n\d+|mmcblk\d+)$/.test(name);

/** Bytes read and written by whole disks (/proc/diskstats: sectors 3 and 7 after the name; partitions and loops skipped). */
async function disks(): Promise<{ diskRead: number; diskWrite: number }> {
  let diskRead = 0;
  let diskWrite = 0;
  for (const line of await lines('/proc/diskstats')) {
    const fields = line.trim().split(/\s+/);
    const name = fields[2] ?? '';
    if (!isWholeDisk(name)) continue;
    diskRead += Number(fields[5] ?? 0) * SECTOR_BYTES;
    diskWrite += Number(fields[9] ?? 0) * SECTOR_BYTES;
  }
  return { diskRead, diskWrite };
}

export async function readHostCounters(): Promise<HostCounters> {
  let cpuBusy = 0;
  let cpuTotal = 0;
  for (const { times } of os.cpus()) {
    const total = times.user + times.nice + times.sys + times.idle + times.irq;
    cpuTotal += total;
    cpuBusy += total - times.idle;
  }
  return { at: Date.now(), cpuBusy, cpuTotal, ...(await network()), ...(await disks()) };
}

/** Memory in use, in percent of the host's. */
export function memoryPercent(): number {
  return (1 - os.freemem() / os.totalmem()) * 100;
}
