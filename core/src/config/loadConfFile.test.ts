import { expect } from 'chai';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { loadConfFile } from './loadConfFile.js';
import { databaseConfSchema, loggerConfSchema, serverConfSchema } from './schemas.js';
import { tempDir } from '../../../test/support/tempDir.js';

async function confDirWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('conf-');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
  return dir;
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfFile', () => {
  it('keeps media on local disk by default, and takes an S3 bucket with its keys; a faulty one names the key, never the secret', async () => {
    expect((await loadConfFile(await confDirWith({ 'serverConf.json': '{}' }), 'serverConf.json', serverConfSchema)).storage).to.deep.equal({ type: 'local' });
    const s3 = { type: 's3', endpoint: 'http://127.0.0.1:8333', bucket: 'media', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI-super-secret' };
    const conf = await loadConfFile(await confDirWith({ 'serverConf.json': JSON.stringify({ storage: s3 }) }), 'serverConf.json', serverConfSchema);
    expect(conf.storage).to.deep.equal({ ...s3, region: 'us-east-1', forcePathStyle: false });
    const badBucket = await failure(loadConfFile(await confDirWith({ 'serverConf.json': JSON.stringify({ storage: { ...s3, bucket: 'Not_A_Bucket' } }) }), 'serverConf.json', serverConfSchema));
    expect(badBucket.message).to.contain('storage.bucket').and.not.contain(s3.secretAccessKey);
    const noSecret = await failure(loadConfFile(await confDirWith({ 'serverConf.json': JSON.stringify({ storage: { ...s3, secretAccessKey: 42 } }) }), 'serverConf.json', serverConfSchema));
    expect(noSecret.message).to.contain('storage.secretAccessKey').and.not.contain('42');
  });

  it('applies defaults to a minimal serverConf.json', async () => {
    const dir = await confDirWith({ 'serverConf.json': '{}' });
    const conf = await loadConfFile(dir, 'serverConf.json', serverConfSchema);
    expect(conf.port).to.equal(3000);
    expect(conf.ws.port).to.equal(3001);
    expect(conf.plugins).to.deep.equal(['publish', 'live', 'editor']);
  });

  it('names the file and the key of a value of the wrong type', async () => {
    const dir = await confDirWith({ 'serverConf.json': '{"ws": {"port": "eighty"}}' });
    const error = await failure(loadConfFile(dir, 'serverConf.json', serverConfSchema));
    expect(error.file).to.equal(path.join(dir, 'serverConf.json'));
    expect(error.key).to.equal('ws.port');
    expect(error.message).to.contain('serverConf.json: ws.port:');
  });

  it('refuses unknown keys, which are usually typos', async () => {
    const dir = await confDirWith({ 'serverConf.json': '{"prot": 80}' });
    const error = await failure(loadConfFile(dir, 'serverConf.json', serverConfSchema));
    expect(error.message).to.contain('serverConf.json').and.to.contain('prot');
  });

  it('reports a file that is not JSON', async () => {
    const dir = await confDirWith({ 'loggerConf.json': '{ "app": ' });
    const error = await failure(loadConfFile(dir, 'loggerConf.json', loggerConfSchema));
    expect(error.message).to.match(/loggerConf\.json: not valid JSON/);
  });

  it('reports a missing required file, and accepts a missing optional one', async () => {
    const dir = await confDirWith({});
    const error = await failure(loadConfFile(dir, 'serverConf.json', serverConfSchema));
    expect(error.message).to.contain('file is missing');
    const database = await loadConfFile(dir, 'databaseConf.json', databaseConfSchema, { optional: true });
    expect(database.uri).to.equal(undefined);
    expect(database.database).to.equal('mediahost');
  });

  it('requires the app and ws logger entries', async () => {
    const dir = await confDirWith({ 'loggerConf.json': '{"app": {"fileName": "a.log"}}' });
    const error = await failure(loadConfFile(dir, 'loggerConf.json', loggerConfSchema));
    expect(error.key).to.equal('ws');
  });

  it('refuses a database URI that is not MongoDB', async () => {
    const dir = await confDirWith({ 'databaseConf.json': '{"uri": "postgres://x"}' });
    const error = await failure(loadConfFile(dir, 'databaseConf.json', databaseConfSchema));
    expect(error.key).to.equal('uri');
  });
});
