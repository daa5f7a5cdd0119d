import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

interface Context {
  method: string;
  path: string;
  body: unknown;
}
type Middleware = (ctx: Context, next: () => Promise<void>) => unknown;
interface KoaApp {
  use(middleware: Middleware): KoaApp;
  callback(): http.RequestListener;
}

const requireFromCore = createRequire(new URL('../core/package.json', import.meta.url));
const Koa = requireFromCore('koa') as new () => KoaApp;
const { bodyParser } = requireFromCore('@koa/bodyparser') as { bodyParser(options: object): Middleware };

const answers: Record<string, object> = {
  'POST /token': { access_token: 'a'.repeat(40), token_type: 'Bearer', expires_in: 3600, scope: 'hello' },
  'GET /hello/greeting': { greeting: 'Hello', clientId: 'b'.repeat(40) },
};

// Each `--answer "GET /path=<json>"` adds an answer: the same body as ours, for a listing.
process.argv.forEach((arg, i) => {
  if (arg !== '--answer') return;
  const [route, ...json] = process.argv[i + 1]!.split('=');
  answers[route!] = JSON.parse(json.join('='));
});

const app = new Koa();
app.use(bodyParser({ enableTypes: ['json', 'form'], encoding: 'utf-8' }));
app.use((ctx) => {
  const answer = answers[`${ctx.method} ${ctx.path}`];
  if (answer) ctx.body = answer;
});

const server = http.createServer(app.callback());
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`baseline listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
