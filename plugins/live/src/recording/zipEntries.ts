import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

/**
 * Writes the entry called `name` of the zip at `zipPath` to `output` (a path the caller chose: the entry's name is
 * never used as one). Throws when the zip has no such entry.
 */
export async function extractEntry(zipPath: string, name: string, output: string): Promise<void> {
  const zip = await yauzl.openPromise(zipPath, { lazyEntries: true });
  try {
    const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      zip.on('entry', (e: yauzl.Entry) => (e.fileName === name ? resolve(e) : zip.readEntry()));
      zip.on('end', () => resolve(undefined));
      zip.on('error', reject);
      zip.readEntry();
    });
    if (!entry) throw new Error(`the zip has no entry ${name}`);
    await pipeline(await zip.openReadStreamPromise(entry), createWriteStream(output));
  } finally {
    zip.close();
  }
}
