import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from './support/http.js';
import { makeConf, startProcess, type RunningProcess, type TestConf } from './support/platform.js';
import { waitFor } from './support/waitFor.js';

describe('live: the port binds to loopback unless configured otherwise', function () {
  this.timeout(60_000);
  let conf: TestConf;
  let ws: RunningProcess;

  before(async () => {
    conf = await makeConf();
    // No host: the default must not expose the port on every interface.
    await writeFile(path.join(conf.confDir, 'liveConf.json'), JSON.stringify({ port: conf.livePort }));
    ws = await startProcess(conf, 'ws');
  });
  after(async () => {
    await ws?.stop();
  });

  it('listens on 127.0.0.1 by default', async () => {
    const log = () => readFile(path.join(conf.logDir, 'ws.log'), 'utf8').catch(() => '');
    const line = await waitFor(async () => /live \(OpenVidu API and signalling\) listening on ([^"\s]+)/.exec(await log())?.[1], 20_000, 'the live port to listen');
    expect(line).to.equal(`127.0.0.1:${conf.livePort}`);
    expect((await request(`http://127.0.0.1:${conf.livePort}/openvidu/api/config/openvidu-publicurl`)).status).to.equal(200);
  });
});
