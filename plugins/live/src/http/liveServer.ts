import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { allowedMethodsAsErrors, Router, useErrorFormat, type Logger } from '@mediahost/core';
import type Koa from 'koa';
import { openviduErrorFormat } from '../openvidu/errorFormat.js';
import { cors } from './cors.js';

export interface LiveRouters {
  /** Below /openvidu/api, behind OpenVidu auth. */
  api: Router;
  /** Below /pro, behind OpenVidu auth. */
  pro: Router;
  /** At the root: /openvidu/recordings/… (guarded by its own rule) and public paths. */
  root: Router;
  /** GET /openvidu/api/openapi.json, without credentials. */
  document: Koa.Middleware;
}

export type UpgradeHandler = (request: http.IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** The live plugin's own port: OpenVidu's exact paths, which its clients cannot prefix. */
export class LiveServer {
  private server?: http.Server;
  private upgrade?: UpgradeHandler;

  constructor(
    private readonly app: Koa,
    routers: LiveRouters,
    guard: Koa.Middleware,
    private readonly logger: Logger,
  ) {
    app.use(useErrorFormat(openviduErrorFormat, 'live'));
    app.use(cors());
    app.use(routers.document);
    const top = new Router();
    top.use(routers.root.routes());
    top.use('/openvidu/api', guard, routers.api.routes());
    top.use('/pro', guard, routers.pro.routes());
    app.use(top.routes());
    // The nested routers' layers are the top router's: only it knows which methods a path takes.
    app.use(allowedMethodsAsErrors(top));
  }

  onUpgrade(handler: UpgradeHandler): void {
    this.upgrade = handler;
  }

  async listen(port: number, host: string): Promise<AddressInfo> {
    // Only WebSocket upgrades are taken: others (h2c from the JDK's HTTP client, curl --http2) are plain HTTP/1.1 requests.
    const server = http.createServer({ shouldUpgradeCallback: (request) => request.headers.upgrade?.toLowerCase() === 'websocket' }, this.app.callback());
    server.keepAliveTimeout = 5000;
    server.on('upgrade', (request, socket, head) => {
      if (!this.upgrade?.(request, socket, head)) socket.destroy();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address() as AddressInfo;
    this.logger.info(`live (OpenVidu API and signalling) listening on ${address.address}:${address.port}`);
    return address;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
