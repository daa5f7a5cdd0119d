import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { errorFields } from '../log/errorFormat.js';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { JobQueueService } from '../jobs/jobQueue.js';
import { WebhookDeliveries, type Webhooks } from './deliveries.js';

describe('webhook deliveries', () => {
  let db: Connection;
  let queue: JobQueueService;
  let receiver: http.Server;
  let url: string;
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let failuresLeft = 0;
  const logged: string[] = [];

  let webhooks: Webhooks;

  before(async () => {
    db = await openTestDatabase('webhooks');
    const logStream = new Writable({ write: (chunk, _encoding, done) => done(void logged.push(String(chunk))) });
    // The core loggers' format, which writes errors out (winston alone writes an Error field as {}).
    const format = winston.format.combine(errorFields(), winston.format.json());
    queue = new JobQueueService(db, winston.createLogger({ format, transports: [new winston.transports.Stream({ stream: logStream })] }), 100);
    const deliveries = new WebhookDeliveries(db, queue, { maxRetries: 2, retryDelayMs: 100, timeoutMs: 2000, allowedNetworks: ['127.0.0.1'] });
    queue.define(deliveries.job());
    webhooks = deliveries.forPlugin('demo');
    await queue.startWorker();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(failuresLeft-- > 0 ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await queue.stop();
    receiver.close();
  });

  const settled = (hookId: string) =>
    waitFor(async () => {
      const [delivery] = await webhooks.deliveries(hookId);
      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    }, 20_000, `delivery for ${hookId}`);

  it('posts the body with its headers, retrying with backoff until a 2xx, and logs every attempt', async () => {
    failuresLeft = 2;
    received.length = 0;
    await webhooks.send({ hookId: 'h1', event: 'file.created', url, headers: { 'X-Signature': 'abc' }, body: '{"event":"file.created"}' });
    const delivery = await settled('h1');
    expect(delivery.status).to.equal('delivered');
    expect(delivery.attempts.map((a) => a.status)).to.deep.equal([500, 500, 200]);
    expect(received).to.have.length(3);
    expect(received[2]!.headers['x-signature']).to.equal('abc');
    expect(received[2]!.headers['content-type']).to.equal('application/json');
    expect(received[2]!.body).to.equal('{"event":"file.created"}');
  });

  it('gives up after its retries and says why', async () => {
    failuresLeft = 10;
    await webhooks.send({ hookId: 'h2', event: 'file.deleted', url, headers: {}, body: '{}' });
    const delivery = await settled('h2');
    expect(delivery.status).to.equal('failed');
    expect(delivery.attempts).to.have.length(3);
    expect(delivery.attempts[2]!.error).to.equal('answered 500');
  });

  it('never calls an internal address the operator did not allow', async () => {
    received.length = 0;
    failuresLeft = 0;
    await webhooks.send({ hookId: 'h3', event: 'x', url: url.replace('127.0.0.1', '127.0.0.2'), headers: {}, body: '{}' });
    const delivery = await settled('h3');
    expect(delivery.status).to.equal('failed');
    expect(delivery.attempts[0]!.error).to.contain('is not allowed');
    expect(received).to.have.length(0);
  });

  it('never writes the credentials of a hook URL to the log when a delivery fails', async () => {
    failuresLeft = 10;
    logged.length = 0;
    const secretUrl = url.replace('http://', 'http://hook:S3cretPass@') + '?token=T0kenValue&event=x';
    await webhooks.send({ hookId: 'h4', event: 'x', url: secretUrl, headers: {}, body: '{}' });
    expect((await settled('h4')).status).to.equal('failed');
    const log = logged.join('');
    expect(log, log).to.contain('webhook http://REDACTED@127.0.0.1');
    expect(log).to.contain('event=x');
    expect(log).not.to.contain('S3cretPass');
    expect(log).not.to.contain('T0kenValue');
  });
});
