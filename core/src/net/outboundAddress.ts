import type { Socket } from 'node:net';
import { RequestFilteringHttpAgent } from 'request-filtering-agent';

/** The target could not be reached, or is an internal address the operator did not allow; `message` says which (for logs). */
export class OutboundUnreachableError extends Error {}

export interface OutboundOptions {
  /** Networks an operator trusts despite being private: CIDRs or addresses (serverConf outbound.allowedNetworks). */
  allowedNetworks: string[];
  timeoutMs: number;
}

/**
 * Connects to host:port through the same filter as safeDownload and the webhooks (loopback, private, link-local and
 * meta addresses refused unless allowed, checked on the resolved address), then hangs up. Resolves with the address
 * reached, so a tool that connects on its own (ffmpeg) can be pointed at that address instead of resolving again.
 */
export function reachOutbound(host: string, port: number, options: OutboundOptions): Promise<string> {
  const agent = new RequestFilteringHttpAgent({ allowIPAddressList: options.allowedNetworks, allowPrivateIPAddress: false, allowMetaIPAddress: false });
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = agent.createConnection({ host: bare, port, timeout: options.timeoutMs }) as Socket;
    const fail = (error: Error) => {
      socket.destroy();
      reject(new OutboundUnreachableError(error.message));
    };
    socket.once('error', fail);
    socket.once('timeout', () => fail(new Error(`no answer from ${host}:${port} within ${options.timeoutMs} ms`)));
    socket.once('connect', () => {
      const address = socket.remoteAddress;
      socket.destroy();
      if (address) resolve(address);
      else reject(new OutboundUnreachableError(`no address for ${host}`));
    });
  });
}
