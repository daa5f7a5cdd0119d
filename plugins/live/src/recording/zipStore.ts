import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';

/**
 * Zips files as OpenVidu's own zip does: deflated entries, so streaming readers accept their data descriptors
 * (java.util.zip.ZipInputStream refuses a stored entry followed by one). The media is compressed already, hence
 * the fastest level.
 */
export async function zipFiles(output: string, files: { name: string; path: string }[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const file of files) zip.addFile(file.path, file.name, { compress: true, compressionLevel: 1 });
  // A file that cannot be read is reported by the zip, not by its output stream.
  const failed = new Promise<never>((_, reject) => zip.once('error', reject));
  zip.end();
  await Promise.race([pipeline(zip.outputStream, createWriteStream(output)), failed]);
}
