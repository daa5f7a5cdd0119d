import { expect } from 'chai';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tus from 'tus-js-client';
import { withLock } from '../../core/src/db/embeddedDatabase.js';
import { BackOfficeSession } from '../support/backOfficeSession.js';
import { bearerFor, request, type JsonResponse } from '../support/http.js';
import { ferretdbPid, processExists, useOwnDatabase } from '../support/ownDatabase.js';
import { makeConf, seed, startProcess, type RunningProcess, type TestConf } from '../support/platform.js';
import { waitFor } from '../support/waitFor.js';

/** A request unanswered this long hangs: the old behaviour was mongoose's 10 s queue, then a 500. */
const HANG_MS = 10_000;
/** How long every process may take to answer again after the database crashed. */
const RECOVERY_MS = 20_000;

type Answer = ({ status: number; retryAfter: string | null; body: any } | { status: 'hung' | 'failed'; error: string }) & { sent?: number; took?: number };

/** Sends requests one after another until stopped, recording every answer (or hang) in order. */
function loadLoop(call: () => Promise<JsonResponse>) {
  const answers: Answer[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<Answer>((resolve) => (timer = setTimeout(() => resolve({ status: 'hung', error: `no answer in ${HANG_MS} ms` }), HANG_MS)));
      const answered = call().then(
        (response): Answer => ({ status: response.status, retryAfter: response.headers.get('Retry-After'), body: response.body }),
        (error: unknown): Answer => ({ status: 'failed', error: String(error) }),
      );
      const sent = Date.now();
      answers.push({ ...(await Promise.race([answered, hang])), sent, took: Date.now() - sent } as Answer);
      clearTimeout(timer);
    }
  })();
  return {
    answers,
    /** Whether an answer after the first `from` ones matches. */
    seen: (from: number, match: (answer: Answer) => boolean) => answers.slice(from).some(match),
    stop: async () => {
      running = false;
      await done;
    },
  };
}

function killDatabase(pid: number): void {
  process.kill(pid, 'SIGKILL');
}

describe('the embedded database crashing under a running platform', () => {
  let conf: TestConf;
  let dbDir: string;
  let app: RunningProcess;
  let ws: RunningProcess;
  let bearer: { Authorization: string };
  let session: BackOfficeSession;

  before(async () => {
    conf = await makeConf({ plugins: ['publish'] });
    dbDir = await useOwnDatabase(conf);
    const seeded = await seed(conf, ['publish']);
    [app, ws] = await Promise.all([startProcess(conf, 'app'), startProcess(conf, 'ws')]);
    bearer = await bearerFor(ws.url, seeded.clientId, seeded.clientSecret);
    session = await BackOfficeSession.signIn(app.url, seeded.email, seeded.password);
  });

  after(async () => {
    if (process.env.DUMP_LOGS) for (const name of ['ws', 'app']) console.log(name, (await import('node:fs')).readFileSync(`${conf.logDir}/${name}.log`, 'utf8').split('\n').filter((l) => /request failed|warn|error|\d{4,}\.\dms/.test(l)).map((l) => l.slice(0, 400)).join('\n'));
    await Promise.all([app?.stop(), ws?.stop()]);
    const left = await ferretdbPid(dbDir).catch(() => undefined);
    if (left && processExists(left)) process.kill(left, 'SIGKILL');
  });

  it('answers 503 with Retry-After while it is down, then every process answers again by itself, with the data written before', async () => {
    const created = await request(`${ws.url}/publish/api/folder`, {
      method: 'POST',
      headers: { ...bearer, 'Content-Type': 'application/json' },
      body: JSON.stringify({ Name: 'Written before the crash' }),
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);

    const backOffice = loadLoop(() => session.api('GET', '/me'));
    const webService = loadLoop(() => request(`${ws.url}/publish/api/folders`, { headers: bearer }));
    const loops = [backOffice, webService];
    const ok = (answer: Answer) => answer.status === 200;
    try {
      await waitFor(() => loops.every((loop) => loop.seen(0, ok)), RECOVERY_MS, 'both processes to answer before the crash');
      const crashedPid = await ferretdbPid(dbDir);
      const sentBeforeCrash = loops.map((loop) => loop.answers.length + 1);
      // Holding the lock keeps the platform from restarting the database until each process was seen answering without it.
      await withLock(dbDir, async () => {
        killDatabase(crashedPid);
        await waitFor(
          () => loops.every((loop, i) => loop.seen(sentBeforeCrash[i]!, (answer) => answer.status !== 200)),
          RECOVERY_MS,
          'each process to answer while the database is down',
        );
      });
      const sentBeforeRestart = loops.map((loop) => loop.answers.length + 1);
      await waitFor(() => loops.every((loop, i) => loop.seen(sentBeforeRestart[i]!, ok)), RECOVERY_MS, 'every process to answer again');

      expect(await ferretdbPid(dbDir)).to.not.equal(crashedPid);
      expect(processExists(crashedPid)).to.equal(false);
    } finally {
      await Promise.all(loops.map((loop) => loop.stop()));
    }

    for (const [name, loop] of [
      ['back office', backOffice],
      ['web service', webService],
    ] as const) {
      const failures = loop.answers.filter((answer) => answer.status !== 200);
      expect(failures.length, `${name} answered only 200s: the outage was not seen`).to.be.greaterThan(0);
      const timeline = loop.answers.map((a) => `${a.status}@${(a.sent ?? 0) - (loop.answers[0]?.sent ?? 0)}+${a.took}`).join(' ');
      for (const answer of failures) {
        expect(answer, `${name}: ${JSON.stringify(answer)}\n${timeline}`).to.deep.include({ status: 503, retryAfter: '5' });
        expect((answer as { body: any }).body.error, `${name}: ${JSON.stringify(answer)}`).to.deep.include({
          code: 'service_unavailable',
          message: 'The database is unavailable for the moment: try again in a few seconds',
        });
      }
    }
    expect(app.child.exitCode).to.equal(null);
    expect(ws.child.exitCode).to.equal(null);
    const folders = await request(`${ws.url}/publish/api/folders`, { headers: bearer });
    expect(folders.body.map((folder: { Name: string }) => folder.Name)).to.include('Written before the crash');
  });

  it('keeps a tus upload going through the crash, never starting over, every byte intact', async () => {
    const chunkSize = 64 * 1024;
    const data = randomBytes(3 * 1024 * 1024);
    const killAt = 1024 * 1024;
    const progress: number[] = [];
    const responses: { method: string; status: number; offset: number | undefined }[] = [];
    const posts: string[] = [];
    let outage: Promise<void> | undefined;
    let progressAtCrash = 0;

    const uploaded = new Promise<string>((resolve, reject) => {
      const upload: tus.Upload = new tus.Upload(data, {
        endpoint: `${ws.url}/publish/api/uploads`,
        headers: bearer,
        metadata: { filename: 'interrupted.bin' },
        chunkSize,
        retryDelays: [200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000],
        storeFingerprintForResuming: false,
        onBeforeRequest: (req) => {
          if (req.getMethod() === 'POST') posts.push(req.getURL());
        },
        onAfterResponse: (req, res) => {
          const offset = res.getHeader('Upload-Offset');
          responses.push({ method: req.getMethod(), status: res.getStatus(), offset: offset === undefined ? undefined : Number(offset) });
        },
        onProgress: (sent) => {
          progress.push(sent);
          if (sent < killAt || outage) return;
          progressAtCrash = sent;
          outage = ferretdbPid(dbDir).then((pid) =>
            withLock(dbDir, async () => {
              killDatabase(pid);
              const seenBefore = responses.length;
              // Bearer tokens and tus offsets need no database: the upload goes on while it is away (a resume HEAD
              // that needed it would get 423, which tus-js-client retries). Keep it away until chunks got through.
              await waitFor(() => responses.slice(seenBefore).filter((r) => r.method === 'PATCH' && r.status === 204).length >= 3, RECOVERY_MS, 'chunks accepted during the outage');
            }),
          );
        },
        onError: reject,
        onSuccess: () => resolve(upload.url!),
      });
      upload.start();
    });

    const url = await uploaded;
    await outage;
    expect(posts, 'the upload was created once, never started over').to.have.length(1);
    const failedResumes = responses.filter((r) => r.method === 'HEAD' && r.status !== 200);
    expect(failedResumes.map((r) => r.status)).to.satisfy((statuses: number[]) => statuses.every((status) => status === 423));
    expect(responses.filter((r) => r.status >= 500), JSON.stringify(responses)).to.deep.equal([]);
    expect(Math.min(...progress.slice(progress.indexOf(progressAtCrash)))).to.be.at.least(progressAtCrash - chunkSize);

    const stored = await readFile(path.join(conf.dataDir, 'storage', 'publish', 'uploads', url.split('/').pop()!));
    expect(createHash('sha256').update(stored).digest('hex')).to.equal(createHash('sha256').update(data).digest('hex'));
  });
});
