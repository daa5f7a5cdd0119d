import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
// @ts-expect-error: a plain JavaScript script of the project's, without declarations
import { schemathesisCommand } from '../scripts/install-schemathesis.js';
import { basic, bearerFor } from './support/http.js';
import { OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';

/**
 * Bounds of one run: examples per operation, and the whole run's time budget (a hang fails the test). Small in the
 * suite, which must stay within its time; `pnpm fuzz` runs with larger ones.
 */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 10);
const MAX_SECONDS = Number(process.env.FUZZ_MAX_SECONDS ?? 90);
const CHECKS = 'not_a_server_error,response_schema_conformance,status_code_conformance';

const CONFIG_FILE = fileURLToPath(new URL('./support/schemathesis.toml', import.meta.url));

interface FuzzRun {
  code: number | null;
  output: string;
}

/** schemathesis against a served document, with valid credentials; its report is the test's failure message. */
function fuzz(documentUrl: string, baseUrl: string, cwd: string, options: string[]): Promise<FuzzRun> {
  const args = ['--config-file', CONFIG_FILE, 'run', documentUrl, '--url', baseUrl, '--checks', CHECKS, '--max-examples', String(MAX_EXAMPLES), '--max-time', String(MAX_SECONDS), '--request-timeout', '30', '--seed', '1', '--no-color', '--generation-database', 'none', ...options];
  return new Promise((resolve) => {
    execFile(schemathesisCommand(), args, { cwd, timeout: (MAX_SECONDS + 120) * 1000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe('schemathesis against every OpenAPI document the platform serves', function () {
  this.timeout((MAX_SECONDS + 240) * 1000);
  let conf: TestConf;
  let ws: RunningProcess;
  let liveUrl: string;
  let app: { clientId: string; clientSecret: string };

  before(async () => {
    conf = await makeConf();
    liveUrl = await writeLiveConf(conf);
    ws = await startProcess(conf, 'ws');
    app = JSON.parse((await runServerJs(['--create-application', 'fuzz', '--scopes', 'live,publish'], { conf })).stdout);
  });
  after(async () => {
    await ws?.stop();
  });

  it('the core (/token, /revoke): no 5xx, no status or body outside /openapi.json', async () => {
    const run = await fuzz(`${ws.url}/openapi.json`, ws.url, conf.dataDir, ['-H', `Authorization: ${basic(app.clientId, app.clientSecret)}`]);
    expect(run.code, run.output).to.equal(0);
  });

  it('publish (/publish/videos, OpenVeo): no 5xx, no status or body outside /publish/api/openapi.json', async () => {
    const bearer = await bearerFor(ws.url, app.clientId, app.clientSecret, 'publish');
    const run = await fuzz(`${ws.url}/publish/api/openapi.json`, ws.url, conf.dataDir, ['-H', `Authorization: ${bearer.Authorization}`]);
    expect(run.code, run.output).to.equal(0);
  });

  it('OpenVidu (/openvidu/api on the live port): no 5xx, no status or body outside its openapi.json', async () => {
    // POST /restart is left out: the fuzzer would change the secret it authenticates with, and the settings of the platform.
    const run = await fuzz(`${liveUrl}/openvidu/api/openapi.json`, liveUrl, conf.dataDir, ['-H', `Authorization: ${basic('OPENVIDUAPP', OPENVIDU_SECRET)}`, '--exclude-path', '/openvidu/api/restart']);
    expect(run.code, run.output).to.equal(0);
  });
});
