import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { databaseDir } from './support/globalDatabase.js';
import { bearerFor, request } from './support/http.js';
import { makeConf, seed, startPlatform, startProcess, type Platform } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

describe('process lifecycle', () => {
  describe('graceful stop', () => {
    let platform: Platform;
    before(async () => {
      platform = await startPlatform();
    });
    after(() => platform?.stop());

    it('finishes in-flight requests on SIGTERM, refuses new ones, closes the database and exits 0', async () => {
      const inFlight = request(`${platform.app.url}/hello/wait?ms=1500`);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const exitCode = platform.app.stop('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await fetch(`${platform.app.url}/hello/ping`).then(
        () => false,
        () => true,
      );
      expect(refused).to.equal(true);
      const answered = await inFlight;
      expect(answered.status).to.equal(200);
      expect(answered.body).to.deep.equal({ waited: 1500 });
      expect(await exitCode).to.equal(0);
      const clients = await readdir(path.join(databaseDir(), 'clients'));
      expect(clients).to.not.include(String(platform.app.child.pid));
      const log = await readFile(path.join(platform.conf.logDir, 'app.log'), 'utf8');
      expect(log).to.contain('SIGTERM: stopping').and.to.contain('"message":"stopped"');
    });
  });

  describe('persisted jobs', () => {
    it('resume after the process running them is killed, with progress visible from the web service', async function () {
      const conf = await makeConf({ files: { 'helloConf.json': { greeting: 'Hi', stepMs: 400 } } });
      const [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
      try {
        const { clientId, clientSecret } = await seed(conf, ['hello']);
        const bearer = await bearerFor(ws.url, clientId, clientSecret);
        const enqueued = await request(`${ws.url}/hello/counts`, { method: 'POST', headers: bearer });
        expect(enqueued.status).to.equal(202);
        const jobUrl = `${ws.url}/hello/counts/${enqueued.body.jobId}`;

        const midway = await waitFor(async () => {
          const { body } = await request(jobUrl, { headers: bearer });
          return body.state === 'running' && body.progress >= 30 ? body : undefined;
        }, 30_000, 'the job to be under way');
        expect(midway.progress).to.be.below(100);

        await app.stop('SIGKILL');
        const stalled = (await request(jobUrl, { headers: bearer })).body;
        expect(stalled.state).to.not.equal('completed');

        const restarted = await startProcess(conf, 'app');
        try {
          const done = await waitFor(async () => {
            const { body } = await request(jobUrl, { headers: bearer });
            return body.state === 'completed' ? body : undefined;
          }, 40_000, 'the job to complete after the restart');
          expect(done.progress).to.equal(100);
          expect(done.failCount).to.equal(0);
        } finally {
          await restarted.stop();
        }
      } finally {
        await Promise.all([app.stop(), ws.stop()]);
      }
    });

    it('run in a -worker process when the back office is told not to run them', async () => {
      const conf = await makeConf({ server: { jobs: { runIn: [], pollIntervalMs: 200 } }, files: { 'helloConf.json': { stepMs: 10 } } });
      const [ws, worker] = await Promise.all([startProcess(conf, 'ws'), startProcess(conf, 'worker')]);
      try {
        const { clientId, clientSecret } = await seed(conf, ['hello']);
        const bearer = await bearerFor(ws.url, clientId, clientSecret);
        const { body } = await request(`${ws.url}/hello/counts`, { method: 'POST', headers: bearer });
        const done = await waitFor(async () => {
          const status = (await request(`${ws.url}/hello/counts/${body.jobId}`, { headers: bearer })).body;
          return status.state === 'completed' ? status : undefined;
        }, 20_000, 'the worker to run the job');
        expect(done.progress).to.equal(100);
      } finally {
        await Promise.all([ws.stop(), worker.stop()]);
      }
    });
  });
});
