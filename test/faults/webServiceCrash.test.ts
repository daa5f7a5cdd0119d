import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { bearerFor } from '../support/http.js';
import { makeConf, seed, startProcess, type RunningProcess, type TestConf } from '../support/platform.js';

/**
 * kill -9 of the web service in the middle of a tus upload: once it is started again (by an operator or a
 * supervisor), the client resumes from the server's offset with the same token, and no byte is lost or doubled.
 */
describe('the web service killed (SIGKILL) during an upload', () => {
  let conf: TestConf;
  let app: RunningProcess;
  let ws: RunningProcess | undefined;
  let bearer: { Authorization: string };

  before(async () => {
    conf = await makeConf({ plugins: ['publish'] });
    const seeded = await seed(conf, ['publish']);
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    bearer = await bearerFor(ws.url, seeded.clientId, seeded.clientSecret);
  });
  after(async () => {
    await Promise.all([app?.stop(), ws?.stop()]);
  });

  it('resumes where it stopped once the web service is back, every byte intact, created once', async () => {
    const chunkSize = 64 * 1024;
    const data = randomBytes(3 * 1024 * 1024);
    const killAt = 1024 * 1024;
    const posts: string[] = [];
    const progress: number[] = [];
    let restarted: Promise<void> | undefined;
    let progressAtKill = 0;
    const endpoint = `${ws!.url}/publish/api/uploads`;

    const url = await new Promise<string>((resolve, reject) => {
      const upload: tus.Upload = new tus.Upload(data, {
        endpoint,
        headers: bearer,
        metadata: { filename: 'killed.bin' },
        chunkSize,
        retryDelays: [200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000, 5000],
        storeFingerprintForResuming: false,
        onBeforeRequest: (req) => {
          if (req.getMethod() === 'POST') posts.push(req.getURL());
        },
        onProgress: (sent) => {
          progress.push(sent);
          if (sent < killAt || restarted) return;
          progressAtKill = sent;
          const killed = ws!;
          ws = undefined;
          restarted = killed.stop('SIGKILL').then(async () => {
            ws = await startProcess(conf, 'ws');
          });
        },
        onError: reject,
        onSuccess: () => resolve(upload.url!),
      });
      upload.start();
    });
    await restarted;

    expect(posts, 'the upload was created once, never started over').to.have.length(1);
    expect(Math.min(...progress.slice(progress.indexOf(progressAtKill)))).to.be.at.least(progressAtKill - chunkSize);
    const stored = await readFile(path.join(conf.dataDir, 'storage', 'publish', 'uploads', url.split('/').pop()!));
    expect(createHash('sha256').update(stored).digest('hex')).to.equal(createHash('sha256').update(data).digest('hex'));
    const finalized = await fetch(`${url}/finalize`, { method: 'POST', headers: bearer });
    expect(finalized.status, 'bytes that are not media are refused, but the upload itself was whole').to.equal(400);
  });
});
