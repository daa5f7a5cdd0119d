import { OutboundUnreachableError, reachOutbound } from '@mediahost/core';

const DEFAULT_PORTS: Record<string, number> = { 'rtsp:': 554, 'rtsps:': 322, 'http:': 80, 'https:': 443 };

/** Why a camera is refused, for the log only: the caller always gets the same answer. */
export class CameraRefusedError extends Error {}

/**
 * Checks an IPCAM rtspUri before ffmpeg is started: only rtsp, rtsps, http and https, and only hosts whose resolved
 * address passes the platform's outbound filter (internal networks only where the operator allowed them) and answers.
 * Returns the URI pinned to the address checked, so ffmpeg cannot be sent elsewhere by a second DNS answer.
 */
export async function checkedCameraUri(rtspUri: string, allowedNetworks: string[], timeoutMs = 5000): Promise<string> {
  const url = new URL(rtspUri);
  const defaultPort = DEFAULT_PORTS[url.protocol];
  if (defaultPort === undefined) throw new CameraRefusedError(`scheme ${url.protocol} is not a camera's`);
  let address: string;
  try {
    address = await reachOutbound(url.hostname, Number(url.port || defaultPort), { allowedNetworks, timeoutMs });
  } catch (error) {
    if (error instanceof OutboundUnreachableError) throw new CameraRefusedError(error.message);
    throw error;
  }
  const pinned = new URL(url.href);
  pinned.hostname = address.includes(':') ? `[${address}]` : address;
  return pinned.href;
}
