import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import ts from 'typescript';
import winston from 'winston';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { defineJob, jobType } from './defineJob.js';
import { JobQueueService } from './jobQueue.js';

const silent = winston.createLogger({ silent: true });
const here = path.dirname(fileURLToPath(import.meta.url));

/** The type errors of a snippet compiled next to defineJob.ts, as a plugin's code would be. */
function typeErrorsOf(snippet: string): string[] {
  const file = path.join(here, '__snippet.ts');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (name === file ? snippet : readFile(name));
  host.fileExists = ((exists) => (name: string) => name === file || exists(name))(host.fileExists.bind(host));
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, snippet, version) : getSourceFile(name, version, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('defineJob', () => {
  let db: Connection;
  let queue: JobQueueService;

  before(async () => {
    db = await openTestDatabase('definejob');
    queue = new JobQueueService(db, silent, 100);
  });
  after(() => queue.stop());

  it('types the enqueue handle by the payload: a payload of another shape does not compile', function () {
    this.timeout(120_000);
    const header = `import { defineJob } from './defineJob.js';
      import type { JobQueue } from './types.js';
      declare const jobs: JobQueue;
      const transcode = defineJob<{ fileId: string }>('transcode', async (payload) => { payload.fileId.toUpperCase(); });
      const handle = jobs.handle(transcode);\n`;
    expect(typeErrorsOf(`${header}void handle.enqueue({ fileId: 'f1' });`)).to.deep.equal([]);
    const wrong = typeErrorsOf(`${header}void handle.enqueue({ ticketId: 'f1' });`);
    expect(wrong).to.have.length(1);
    expect(wrong[0]).to.match(/ticketId/);
  });

  it('hands its handler the enqueued payload, under the plugin-namespaced name', async () => {
    const received: { payload: { fileId: string }; data: unknown }[] = [];
    const transcode = defineJob<{ fileId: string }>('transcode', async (payload, run) => {
      received.push({ payload, data: run.data });
    });
    queue.definePluginJob('demo', transcode);
    await queue.startWorker();
    const id = await queue.forPlugin('demo').handle(transcode).enqueue({ fileId: 'f1' });
    await waitFor(() => received.length === 1, 20_000, 'the handler to run');
    expect(received[0]).to.deep.equal({ payload: { fileId: 'f1' }, data: { fileId: 'f1' } });
    expect((await queue.get(id))?.name).to.equal('demo.transcode');
  });

  it('lets a service hold a handle declared apart from the handler it is later defined with', async () => {
    const render = jobType<{ exportId: number }>('render');
    const handle = queue.forPlugin('demo').handle(render);
    const seen: number[] = [];
    queue.definePluginJob('demo', defineJob(render, async ({ exportId }) => void seen.push(exportId)));
    await handle.enqueue({ exportId: 7 });
    await waitFor(() => seen.length === 1, 20_000, 'the handler to run');
    expect(seen).to.deep.equal([7]);
  });

  it('refuses to enqueue a job no plugin registered, in this plugin or under another plugin name', async () => {
    const unknown = jobType<{ fileId: string }>('never-defined');
    await expectRejection(queue.forPlugin('demo').handle(unknown).enqueue({ fileId: 'f1' }), /No job "demo.never-defined" is defined/);
    await expectRejection(queue.forPlugin('other').handle(jobType('transcode')).enqueue({}), /No job "other.transcode" is defined/);
  });

  it('refuses a job name that would escape its plugin namespace', () => {
    expect(() => defineJob('other.transcode', async () => undefined)).to.throw(/must be letters, digits/);
  });
});

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await promise;
  } catch (error) {
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail('expected a rejection');
}
