import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpServer } from '../http/clientTimeouts.js';
import { ClosingConnections } from '../http/closingConnections.js';
import { closeLogger } from '../log/createLogger.js';
import { startPlugin, stopPlugin } from '../plugins/lifecycle.js';
import { createBackOfficeApp } from './backOffice.js';
import type { Platform } from './platform.js';
import { createWebServiceApp } from './webService.js';

const LABEL = { app: 'back office', ws: 'web service', worker: 'worker' } as const;

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Runs one process of the platform until SIGINT/SIGTERM, then stops gracefully. */
export async function serve(platform: Platform): Promise<void> {
  const { conf, role, logger } = platform;
  let server: http.Server | undefined;
  const connections = new ClosingConnections(() => server);

  // Ctrl-C signals the whole process group and `pnpm start` forwards it too, so a second signal is the rule, not
  // the exception. The handlers are installed before anything starts and stay for the whole stop: without one,
  // Node's default action kills the process halfway, leaving its clients/<pid> entry and an orphaned embedded
  // FerretDB. A signal during startup stops once started; a repeated one only drops the connections still open.
  let markStarted = () => {};
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      server?.closeAllConnections();
      return;
    }
    stopping = true;
    void started.then(() => stop(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  for (const { parts } of platform.plugins) await startPlugin(parts, role);
  const runsJobs = role === 'worker' || conf.server.jobs.runIn.includes(role);
  if (runsJobs) await platform.jobs.startWorker();
  platform.identityChanges.start();
  platform.changeFeeds.start();

  if (role !== 'worker') {
    const app = role === 'ws' ? createWebServiceApp(platform) : await createBackOfficeApp(platform);
    const callback = app.callback();
    server = createHttpServer(conf.server.timeouts, (req, res) => {
      connections.track(res);
      void callback(req, res);
    });
    const { port, host } = role === 'ws' ? conf.server.ws : conf.server;
    const address = await listen(server, port, host);
    const url = `http://${address.address}:${address.port}`;
    logger.info(`${LABEL[role]} listening on ${url}`);
    process.stdout.write(`mediahost ${LABEL[role]} listening on ${url}\n`);
    if (role === 'app' && (await platform.models.User.estimatedDocumentCount()) === 0) {
      process.stdout.write('No user yet. Create the first administrator with:\n  node server.js --create-user you@example.org --password-stdin --role admin\n');
    }
  } else {
    process.stdout.write('mediahost worker running jobs\n');
  }

  const stop = async (signal: string) => {
    logger.info(`${signal}: stopping`);
    // Running jobs belong to plugins: they are handed back at once (not after the requests), before the plugins stop.
    const jobsStopped = platform.jobs.stop().catch((error: unknown) => logger.error('job queue failed to stop', { error }));
    const forced = setTimeout(() => server?.closeAllConnections(), conf.server.shutdownTimeoutMs);
    forced.unref();
    // close() stops accepting, closes idle keep-alive connections and waits for in-flight requests.
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    connections.close();
    await closed;
    clearTimeout(forced);
    await platform.identityChanges.stop();
    await platform.changeFeeds.stop();
    await jobsStopped;
    for (const { parts, plugin } of [...platform.plugins].reverse()) {
      await stopPlugin(parts, role).catch((error: unknown) => logger.error(`plugin ${plugin.name} failed to stop`, { error }));
    }
    await platform.db.close().catch((error: unknown) => logger.error('database failed to close', { error }));
    logger.info('stopped');
    const pluginLoggers = platform.plugins.map((loaded) => loaded.logger).filter((pluginLogger) => pluginLogger !== logger && pluginLogger.transports.length);
    await Promise.all([logger, ...new Set(pluginLoggers)].map(closeLogger));
    process.exit(0);
  };
  markStarted();
}
