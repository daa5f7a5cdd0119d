import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { BadRequestError, HttpError } from '../errors.js';

export interface SafeDownloadOptions {
  maxBytes: number;
  timeoutMs: number;
  maxRedirects?: number;
  /** Networks an operator trusts despite being private (an intranet media server): CIDRs or addresses. */
  allowedNetworks?: string[];
  onProgress?: (received: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface Downloaded {
  bytes: number;
  finalUrl: string;
  contentType?: string;
  /** From Content-Disposition, or the last path segment of the final URL. */
  fileName: string;
}

/** The download was refused or failed because of what the URL leads to: a 4xx for the caller, with the reason. */
export class DownloadRefusedError extends BadRequestError {}
/** The download went beyond maxBytes. */
export class DownloadTooLargeError extends HttpError {
  constructor(maxBytes: number) {
    super(413, 'payload_too_large', `The remote file is larger than the ${maxBytes} bytes allowed`);
  }
}

export function assertWebUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DownloadRefusedError(`Not a URL: ${raw.slice(0, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DownloadRefusedError(`Only http and https URLs are accepted, not ${url.protocol}`);
  return url;
}

function fileNameOf(disposition: string | undefined, url: URL): string {
  const quoted = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const name = quoted ? decodeURIComponent(quoted) : decodeURIComponent(url.pathname.split('/').filter(Boolean).at(-1) ?? '');
  return name.replace(/[/\\\0]/g, '_').slice(0, 200) || 'download';
}

function get(url: URL, options: SafeDownloadOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  const filter = { allowIPAddressList: options.allowedNetworks ?? [], allowPrivateIPAddress: false, allowMetaIPAddress: false };
  const agent = url.protocol === 'https:' ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { agent, signal, headers: { 'User-Agent': 'mediahost-downloader', Accept: '*/*' } }, resolve);
    request.on('error', (error) => {
      if (/is not allowed/.test(error.message)) reject(new DownloadRefusedError(`Refused to download from an internal address: ${error.message}`));
      else if (signal.aborted) reject(signal.reason instanceof Error ? signal.reason : new DownloadRefusedError('Download aborted'));
      else reject(new DownloadRefusedError(`Download failed: ${error.message}`));
    });
  });
}

/**
 * Downloads an http(s) URL to a file, refusing loopback, private, link-local and other internal targets (checked on
 * the address actually connected to, so DNS answers and redirects cannot lead inside), with size and time limits.
 * A partial file is removed on failure.
 */
export async function safeDownload(rawUrl: string, destination: string, options: SafeDownloadOptions): Promise<Downloaded> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let url = assertWebUrl(rawUrl);
  try {
    for (let redirects = 0; ; redirects += 1) {
      const response = await get(url, options, signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirects >= (options.maxRedirects ?? 5)) throw new DownloadRefusedError('Too many redirects');
        url = assertWebUrl(new URL(response.headers.location, url).href);
        continue;
      }
      if (status < 200 || status >= 300) {
        response.resume();
        throw new DownloadRefusedError(`The remote server answered ${status}`);
      }
      const total = Number(response.headers['content-length']) || undefined;
      if (total !== undefined && total > options.maxBytes) {
        response.destroy();
        throw new DownloadTooLargeError(options.maxBytes);
      }
      let received = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          if (received > options.maxBytes) return callback(new DownloadTooLargeError(options.maxBytes));
          options.onProgress?.(received, total);
          callback(null, chunk);
        },
      });
      await pipeline(response, counter, createWriteStream(destination), { signal });
      return { bytes: received, finalUrl: url.href, contentType: response.headers['content-type'], fileName: fileNameOf(response.headers['content-disposition'], url) };
    }
  } catch (error) {
    await rm(destination, { force: true });
    if (error instanceof HttpError) throw error;
    if (timeout.aborted) throw new DownloadRefusedError(`The download took longer than ${options.timeoutMs} ms`);
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new DownloadRefusedError('Download aborted');
    throw new DownloadRefusedError(`Download failed: ${(error as Error).message}`);
  }
}
