import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { liveConfigSchema } from '../config.js';
import { LiveSettings, propertyName } from './liveSettings.js';
import { tempDir } from '../../../../test/support/tempDir.js';

describe('live settings', () => {
  const make = async () => {
    const dir = await tempDir('live-settings-');
    const settings = new LiveSettings(liveConfigSchema.parse({ port: 5443, secret: 's' }), path.join(dir, 'settings.json'), path.join(dir, 'recordings'), dir);
    await settings.load();
    return { settings, file: path.join(dir, 'settings.json'), dir };
  };

  it('reads Pro 2.x dotted names as OPENVIDU_ properties', () => {
    expect(propertyName('openvidu.recording.public-access')).to.equal('OPENVIDU_RECORDING_PUBLIC_ACCESS');
    expect(propertyName('OPENVIDU_CDR')).to.equal('OPENVIDU_CDR');
  });

  it('applies all the properties or none, and a new instance loads what was saved', async () => {
    const { settings, file } = await make();
    await settings.apply({ 'openvidu.cdr': true, OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 10 });
    expect(settings.current.cdr).to.equal(true);
    expect(settings.current.sessionsGarbageThreshold).to.equal(10);
    let refused: unknown;
    await settings.apply({ OPENVIDU_CDR: false, OPENVIDU_RECORDING_AUTOSTOP_TIMEOUT: -1 }).catch((error: unknown) => (refused = error));
    expect((refused as { status: number }).status).to.equal(400);
    expect(settings.current.cdr, 'nothing changed').to.equal(true);
    const again = new LiveSettings(liveConfigSchema.parse({ port: 5443 }), file, '/tmp/r', path.dirname(file));
    await again.load();
    expect(again.current.cdr).to.equal(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal({ OPENVIDU_CDR: true, OPENVIDU_SESSIONS_GARBAGE_THRESHOLD: 10 });
  });

  it('takes a new secret (openvidu.secret, as Pro lists it) but never an empty one', async () => {
    const { settings } = await make();
    let refused: unknown;
    await settings.apply({ 'openvidu.secret': '' }).catch((error: unknown) => (refused = error));
    expect((refused as { status: number }).status).to.equal(400);
    expect(settings.current.secret).to.equal('s');
    await settings.apply({ 'openvidu.secret': 'new-secret' });
    expect(settings.current.secret).to.equal('new-secret');
  });

  it('keeps the recording path inside the data folder: refuses one outside, resolves a relative one, drops an outside one saved earlier', async () => {
    const { settings, file, dir } = await make();
    for (const outside of ['/tmp', '/', dir, path.join(dir, '..', 'elsewhere'), '../elsewhere', `${dir}-sibling`]) {
      let refused: unknown;
      await settings.apply({ OPENVIDU_RECORDING_PATH: outside }).catch((error: unknown) => (refused = error));
      expect((refused as { status: number } | undefined)?.status, outside).to.equal(400);
    }
    expect(settings.recordingPath).to.equal(path.join(dir, 'recordings'));
    await settings.apply({ 'openvidu.recording.path': 'live/elsewhere' });
    expect(settings.recordingPath).to.equal(path.join(dir, 'live', 'elsewhere'));
    await writeFile(file, JSON.stringify({ OPENVIDU_RECORDING_PATH: '/tmp', OPENVIDU_CDR: true }));
    const reloaded = new LiveSettings(liveConfigSchema.parse({ port: 5443 }), file, path.join(dir, 'recordings'), dir);
    await reloaded.load();
    expect(reloaded.recordingPath).to.equal(path.join(dir, 'recordings'));
    expect(reloaded.current.cdr).to.equal(true);
  });

  it('defaults the public URL to the port, without a trailing slash', async () => {
    const { settings } = await make();
    expect(settings.publicUrl).to.equal('http://localhost:5443');
  });
});
