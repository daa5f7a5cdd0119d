import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
// @ts-expect-error: a plain JavaScript script of the project's, without declarations
import { schemathesisCommand } from '../scripts/install-schemathesis.js';
import { basic, request } from './support/http.js';
import { OPENVIDU_SECRET, writeLiveConf } from './support/openvidu.js';
import { makeConf, runServerJs, startProcess, type RunningProcess, type TestConf } from './support/platform.js';

/**
 * Bounds of one run: examples per operation, and the whole run's time budget (a hang fails the test). Small in the
 * suite, which must stay within its time; `pnpm fuzz` runs with larger ones.
 */
const MAX_EXAMPLES = Number(process.env.FUZZ_MAX_EXAMPLES ?? 10);
const MAX_SECONDS = Number(process.env.FUZZ_MAX_SECONDS ?? 90);
const CHECKS = 'not_a_server_error,response_schema_conformance,status_code_conformance';

const ADMIN_EMAIL = 'fuzz-admin@example.test';
const ADMIN_PASSWORD = 'a long fuzzing password';

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
    app = JSON.parse((await runServerJs(['--create-application', 'fuzz', '--scopes', 'live,publish,editor'], { conf })).stdout);
  });
  after(async () => {
    await ws?.stop();
  });

  it('the core (/token, /revoke): no 5xx, no status or body outside /openapi.json', async () => {
    const run = await fuzz(`${ws.url}/openapi.json`, ws.url, conf.dataDir, ['-H', `Authorization: ${basic(app.clientId, app.clientSecret)}`]);
    expect(run.code, run.output).to.equal(0);
  });

  it('publish (/publish/videos, OpenVeo, and /publish/api, VideoCMS) as an admin signed in: no 5xx, no status or body outside /publish/api/openapi.json', async () => {
    // An admin's login token reaches every route, OpenVeo's, the admin ones and the API keys' as well: one run, one
    // budget, for the whole document. schemathesis reuses the ids GET /users answers: the admin's own deletion, new
    // password or demotion would end the token the run holds, so those three are left to publishAdmin.test.ts, and there
    // is no stateful phase (its links lead there too).
    const created = await runServerJs(['--create-user', ADMIN_EMAIL, '--password-stdin', '--role', 'admin'], { conf, stdin: `${ADMIN_PASSWORD}\n` });
    if (created.code !== 0) throw new Error(`--create-user failed: ${created.stderr}`);
    const login = await request(`${ws.url}/publish/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: ADMIN_EMAIL, password: ADMIN_PASSWORD }) });
    expect(login.status, JSON.stringify(login.body)).to.equal(200);
    const run = await fuzz(`${ws.url}/publish/api/openapi.json`, ws.url, conf.dataDir, ['-H', `Authorization: Bearer ${login.body.token as string}`, '--exclude-name-regex', String.raw`^(DELETE|PUT) /publish/api/users/\{id\}$|^POST /publish/api/users/\{id\}/password$`, '--phases', 'examples,coverage,fuzzing']);
    // The run was made as the admin all along (a void token would have left every route a 401, and the run green).
    const still = await request(`${ws.url}/publish/api/account`, { headers: { Authorization: `Bearer ${login.body.token as string}` } });
    expect(still.status, JSON.stringify(still.body)).to.equal(200);
    expect(run.code, run.output).to.equal(0);
  });

  it('the editor (/editor/api/3 and /4, WeVideo): no 5xx, no status or body outside /editor/api/openapi.json', async () => {
    // WEVSIMPLE carries the application's secret as it is: a fixed header, where WEV signs each request.
    const authorization = `WEVSIMPLE ${app.clientSecret}`;
    const run = await fuzz(`${ws.url}/editor/api/openapi.json`, ws.url, conf.dataDir, ['-H', `Authorization: ${authorization}`]);
    expect(run.code, run.output).to.equal(0);
    // The run was made as the application all along (a refused credential would have left every route a 401).
    const me = await request(`${ws.url}/editor/api/3/me`, { headers: { Authorization: authorization } });
    expect(me.status, JSON.stringify(me.body)).to.equal(200);
  });

  it('OpenVidu (/openvidu/api on the live port): no 5xx, no status or body outside its openapi.json', async () => {
    // POST /restart (and Pro's /pro/restart) is left out: the fuzzer would change the secret it authenticates with, and the settings of the platform.
    const run = await fuzz(`${liveUrl}/openvidu/api/openapi.json`, liveUrl, conf.dataDir, ['-H', `Authorization: ${basic('OPENVIDUAPP', OPENVIDU_SECRET)}`, '--exclude-path', '/openvidu/api/restart', '--exclude-path', '/pro/restart']);
    expect(run.code, run.output).to.equal(0);
  });
});
