import { expect } from 'chai';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { closeLogger, createLogger } from './createLogger.js';
import { tempDir } from '../../../test/support/tempDir.js';

describe('createLogger', () => {
  it('rotates by size and keeps maxFiles archives beside the live file', async () => {
    const dir = await tempDir('logs-');
    const logger = createLogger({ fileName: path.join(dir, 'app.log'), level: 'info', maxFileSize: 2048, maxFiles: 2, console: false }, dir, { process: 'app' });
    for (let i = 0; i < 200; i += 1) logger.info(`line ${i} ${'x'.repeat(100)}`);
    await closeLogger(logger);
    const files = (await readdir(dir)).sort();
    expect(files).to.deep.equal(['app.log', 'app.log.1', 'app.log.2']);
    for (const file of files) expect((await stat(path.join(dir, file))).size).to.be.at.most(2048 + 200);
    const live = await readFile(path.join(dir, 'app.log'), 'utf8');
    expect(live).to.contain('line 199');
    // nothing lost across a rotation: the newest archive ends where the live file begins
    const archived = (await readFile(path.join(dir, 'app.log.1'), 'utf8')).trim().split('\n');
    const lastArchived = Number(/line (\d+)/.exec(archived.at(-1)!)![1]);
    expect(live.split('\n')[0]).to.contain(`line ${lastArchived + 1} `);
    expect(JSON.parse(live.trim().split('\n').at(-1)!)).to.include({ level: 'info', process: 'app' });
  });

  it('gives child loggers their own metadata and honours the level', async () => {
    const dir = await tempDir('logs-');
    const logger = createLogger({ fileName: 'ws.log', level: 'warn', maxFileSize: 1 << 20, maxFiles: 1, console: false }, dir, { process: 'ws' });
    logger.child({ plugin: 'publish' }).warn('kept');
    logger.info('dropped');
    await closeLogger(logger);
    const lines = (await readFile(path.join(dir, 'ws.log'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ message: 'kept', plugin: 'publish', process: 'ws' });
  });
});

describe('createLogger: errors', () => {
  it('logs an error given as a field with its message, name, code, stack and nested causes', async () => {
    const dir = await tempDir('logs-');
    const logger = createLogger({ fileName: 'app.log', level: 'info', maxFileSize: 1 << 20, maxFiles: 1, console: false }, dir, { process: 'app' });
    // the shape of a driver error: its own enumerable fields say nothing
    class MongoServerSelectionError extends Error {
      override name = 'MongoServerSelectionError';
      errorLabelSet = {};
    }
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:43687'), { code: 'ECONNREFUSED' });
    logger.error('request failed', { error: new MongoServerSelectionError('Server selection timed out', { cause: refused }) });
    await closeLogger(logger);
    const line = JSON.parse((await readFile(path.join(dir, 'app.log'), 'utf8')).trim());
    expect(line.error).to.include({ name: 'MongoServerSelectionError', message: 'Server selection timed out' });
    expect(line.error.stack).to.contain('createLogger.test.ts');
    expect(line.error.cause).to.include({ message: 'connect ECONNREFUSED 127.0.0.1:43687', code: 'ECONNREFUSED' });
  });
});
