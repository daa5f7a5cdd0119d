import { bearerFor, request, type JsonResponse } from './http.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './platform.js';

export interface PublishPlatform {
  conf: TestConf;
  app: RunningProcess;
  ws: RunningProcess;
  /** Bearer headers of two applications with the publish scope: the caller, and someone else. */
  auth: Record<string, string>;
  otherAuth: Record<string, string>;
  /** A JSON call to /publish/api<route> on the web service, as `auth` unless told otherwise. */
  call(method: string, route: string, body?: unknown, as?: Record<string, string>): Promise<JsonResponse>;
  stop(): Promise<void>;
}

/**
 * Both processes on a conf of their own with this publishConf.json, and two applications to call the API as.
 * `plugins`: all of them unless told (a test of publish alone need not wait for live's media engine on a fresh machine).
 */
export async function startPublishPlatform(publishConf: Record<string, unknown>, server: Record<string, unknown> = {}, plugins?: string[]): Promise<PublishPlatform> {
  const conf = await makeConf({ server, plugins, files: { 'publishConf.json': publishConf } });
  const [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
  const application = async (name: string) => {
    const { clientId, clientSecret } = JSON.parse((await runServerJs(['--create-application', name, '--scopes', 'publish'], { conf })).stdout);
    return bearerFor(ws.url, clientId, clientSecret);
  };
  const platform: PublishPlatform = {
    conf,
    app,
    ws,
    auth: await application('caller'),
    otherAuth: await application('someone else'),
    call: (method, route, body, as = platform.auth) =>
      request(`${ws.url}/publish/api${route}`, {
        method,
        headers: { ...as, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    // The processes the platform has now: a test may have restarted them.
    stop: async () => {
      await Promise.all([platform.app.stop(), platform.ws.stop()]);
    },
  };
  return platform;
}
