import http from 'node:http';

export interface ClientTimeouts {
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
  uploadIdleMs: number;
}

/** Bodies the core parses itself (small): anything else is streamed by a plugin, an upload. */
const PARSED_BODY = /^(application\/(json|x-www-form-urlencoded)|text\/)/i;

function hasBody(req: http.IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

function isUpload(req: http.IncomingMessage): boolean {
  return hasBody(req) && !PARSED_BODY.test(req.headers['content-type'] ?? '');
}

/**
 * An HTTP server whose clients cannot hold a connection with a slow request. Node's requestTimeout covers the whole
 * body, which would cut uploads streaming for minutes: it is off, and each request gets its own bound instead, the
 * time to arrive whole for ordinary requests and an idle timeout for uploads.
 */
export function createHttpServer(timeouts: ClientTimeouts, handler: http.RequestListener): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: 0,
      keepAliveTimeout: timeouts.keepAliveMs,
      // How often Node checks headersTimeout: its default (30 s) would let a slow client stay three times longer.
      connectionsCheckingInterval: Math.min(1000, timeouts.headersMs),
    },
    (req, res) => {
      // A request without a body is whole once its headers are, which headersTimeout bounds already.
      if (!hasBody(req)) return handler(req, res);
      if (isUpload(req)) {
        req.socket.setTimeout(timeouts.uploadIdleMs, () => req.socket.destroy());
        res.once('close', () => req.socket.setTimeout(0));
      } else if (!req.complete) {
        const timer = setTimeout(() => {
          if (req.complete) return;
          if (res.headersSent) return void req.socket.destroy();
          const body = JSON.stringify({ error: { code: 'request_timeout', message: `The request did not arrive within ${timeouts.requestMs} ms` } });
          res.writeHead(408, { 'Content-Type': 'application/json', Connection: 'close' }).end(body, () => req.socket.destroy());
        }, timeouts.requestMs);
        res.once('close', () => clearTimeout(timer));
      }
      handler(req, res);
    },
  );
  return server;
}
