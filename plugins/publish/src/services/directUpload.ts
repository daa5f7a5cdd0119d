import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '@mediahost/core';

export interface ReceivedUpload {
  /** The file part, on disk; the caller owns it from here on. */
  path: string;
  /** The file part's own filename, if the client sent one. */
  filename: string | null;
  fields: Record<string, string>;
}

const FIELD_LIMITS = { fields: 20, fieldSize: 4096, parts: 25, files: 1 };

/**
 * Streams a multipart/form-data request with one `file` part to `directory`, never holding it in memory.
 * A file beyond `maxBytes` stops the transfer with a 413 and leaves nothing behind.
 */
export async function receiveMultipartFile(request: IncomingMessage, directory: string, maxBytes: number): Promise<ReceivedUpload> {
  const type = request.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) throw new BadRequestError('Expected multipart/form-data with a "file" part');
  const declared = Number(request.headers['content-length']);
  const tooLarge = () => new PayloadTooLargeError(`Exceeded max upload filesize: ${maxBytes}`);
  // the multipart envelope adds a little around the file's bytes
  if (Number.isFinite(declared) && declared > maxBytes + 1024 * 1024) throw tooLarge();

  await mkdir(directory, { recursive: true });
  const target = path.join(directory, randomUUID());
  const fields: Record<string, string> = {};
  let filename: string | null = null;
  let sawFile = false;
  let writing: Promise<void> = Promise.resolve();
  let fail: (error: Error) => void = () => undefined;
  let fileStream: NodeJS.ReadableStream & { destroy(): void } | undefined;

  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: request.headers, limits: { ...FIELD_LIMITS, fileSize: maxBytes } });
  } catch {
    throw new BadRequestError('Malformed multipart/form-data request');
  }
  parser.on('field', (name, value) => {
    fields[name.toLowerCase()] = value;
  });
  parser.on('file', (name, stream, info) => {
    if (name.toLowerCase() !== 'file' || sawFile) {
      stream.resume();
      return;
    }
    sawFile = true;
    filename = info.filename || null;
    fileStream = stream;
    stream.on('limit', () => fail(tooLarge()));
    writing = pipeline(stream, createWriteStream(target));
    writing.catch(() => undefined);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      fail = reject;
      parser.on('close', resolve);
      parser.on('error', (error: Error) => reject(new BadRequestError(`Malformed multipart/form-data request: ${error.message}`)));
      request.on('aborted', () => reject(new BadRequestError('The upload was interrupted')));
      request.pipe(parser);
    });
    await writing;
    if (!sawFile) throw new BadRequestError('No file uploaded: send it as the "file" part');
    return { path: target, filename, fields };
  } catch (error) {
    request.unpipe(parser);
    parser.destroy();
    fileStream?.destroy();
    request.resume();
    await writing.catch(() => undefined);
    await rm(target, { force: true });
    throw error;
  }
}
