import { expect } from 'chai';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import winston from 'winston';
import { createApp } from '../http/createApp.js';
import type { JobStatus } from '../jobs/types.js';
import { jobsPage, type JobsView } from './jobsPage.js';

describe('back office: the jobs page', () => {
  const jobs: JobStatus[] = [
    { id: 'a'.repeat(24), name: 'publish.transcode', state: 'running', progress: 42, failCount: 0, data: { secret: 'not shown' }, lastRunAt: new Date('2026-12-03T10:00:00Z') },
    { id: 'b'.repeat(24), name: 'live.publishRecording', state: 'failed', progress: 10, failCount: 5, error: 'nobody listens to <library.import>', data: {} },
    { id: 'c'.repeat(24), name: 'editor.render', state: 'completed', progress: 100, failCount: 0, data: {}, lastFinishedAt: new Date('2026-12-03T10:05:00Z') },
  ];
  const retried: string[] = [];
  const view: JobsView = { recent: async () => jobs, get: async (id) => jobs.find((job) => job.id === id), retry: async (id) => void retried.push(id) };
  let server: Server;
  let base: string;
  let permissions: string[] = [];

  before(async () => {
    const app = createApp({ logger: winston.createLogger({ silent: true }), trustProxy: false, maxBodyBytes: 1000 });
    app.use(async (ctx, next) => {
      ctx.state.user = { id: 'u1', email: 'ops@example.test', name: 'Ops', permissions: new Set(permissions), credentialsStamp: 's' };
      ctx.state._csrf = 'token-1';
      await next();
    });
    app.use(jobsPage(view).routes());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    permissions = ['core.jobs.manage'];
    retried.length = 0;
  });

  it('lists every plugin\'s jobs with their state, progress and error, escaped, and never their data', async () => {
    const html = await (await fetch(`${base}/be/jobs`)).text();
    expect(html).to.contain('publish.transcode').and.to.contain('value="42"').and.to.contain('live.publishRecording');
    expect(html).to.contain('nobody listens to &lt;library.import&gt;');
    expect(html).not.to.contain('not shown');
    expect(html).to.contain('running: 1').and.to.contain('failed: 1').and.to.contain('completed: 1');
  });

  it('offers Retry, with the CSRF token, for failed jobs only, and filters by state', async () => {
    const html = await (await fetch(`${base}/be/jobs`)).text();
    expect(html.match(/<button type="submit">Retry<\/button>/g)).to.have.length(1);
    expect(html).to.contain(`action="/be/jobs/${'b'.repeat(24)}/retry"`).and.to.contain('name="_csrf" value="token-1"');
    const failed = await (await fetch(`${base}/be/jobs?state=failed`)).text();
    expect(failed).to.contain('live.publishRecording').and.not.to.contain('publish.transcode');
  });

  it('retries the job posted and sends the browser back to the list', async () => {
    const response = await fetch(`${base}/be/jobs/${'b'.repeat(24)}/retry`, { method: 'POST', redirect: 'manual' });
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal('/be/jobs');
    expect(retried).to.deep.equal(['b'.repeat(24)]);
  });

  it('refuses to retry a job that has not failed (it would run twice) or does not exist', async () => {
    expect((await fetch(`${base}/be/jobs/${'a'.repeat(24)}/retry`, { method: 'POST' })).status).to.equal(409);
    expect((await fetch(`${base}/be/jobs/${'d'.repeat(24)}/retry`, { method: 'POST' })).status).to.equal(404);
    expect(retried).to.deep.equal([]);
  });

  it('answers 403 to a user without the permission, for the list and for a retry', async () => {
    permissions = ['publish.manage'];
    expect((await fetch(`${base}/be/jobs`)).status).to.equal(403);
    expect((await fetch(`${base}/be/jobs/${'b'.repeat(24)}/retry`, { method: 'POST' })).status).to.equal(403);
    expect(retried).to.deep.equal([]);
  });
});
