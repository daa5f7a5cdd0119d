import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import winston from 'winston';
import { openTestDatabase } from '../../../test/support/globalDatabase.js';
import { waitFor } from '../../../test/support/waitFor.js';
import { NumericIdService } from '../ids/numericIds.js';
import { JobQueueService } from '../jobs/jobQueue.js';
import { WebhookDeliveries } from './deliveries.js';
import { WebhookSubscriptionService, type WebhookSubscriptions } from './subscriptions.js';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('webhook subscriptions', () => {
  let db: Connection;
  let queue: JobQueueService;
  let receiver: http.Server;
  let base: string;
  const received: Received[] = [];
  let subscriptions: WebhookSubscriptions;
  const PLUGIN_SECRET = 'plugin-secret';

  before(async () => {
    db = await openTestDatabase('subscriptions');
    queue = new JobQueueService(db, winston.createLogger({ silent: true }), 100);
    const deliveries = new WebhookDeliveries(db, queue, { maxRetries: 0, retryDelayMs: 100, timeoutMs: 2000, allowedNetworks: ['127.0.0.1'] });
    queue.define(deliveries.job());
    const ids = new NumericIdService(db).forPlugin('demo');
    ids.continueAfter('webhook', async () => 100);
    subscriptions = new WebhookSubscriptionService(db).forPlugin('demo', ids, deliveries.forPlugin('demo'), async () => PLUGIN_SECRET);
    await queue.startWorker();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk));
      req.on('end', () => {
        received.push({ path: req.url!, headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  after(async () => {
    await queue.stop();
    receiver.close();
  });

  const arrived = (path: string, count: number) => waitFor(async () => (received.filter((r) => r.path === path).length >= count ? received.filter((r) => r.path === path) : undefined), 20_000, `${count} at ${path}`);

  it('keeps each owner\'s subscriptions apart, numbered by the plugin\'s ids, and updates and removes them', async () => {
    const first = await subscriptions.add('alice', { url: `${base}/a`, events: ['file.created'], data: { name: 'mine' } });
    expect(first.id).to.equal(101);
    expect(first.data).to.deep.equal({ name: 'mine' });
    await subscriptions.add('bob', { url: `${base}/b`, events: [] });
    expect((await subscriptions.list('alice')).map((s) => s.id)).to.deep.equal([101]);
    expect(await subscriptions.get('bob', 101)).to.equal(undefined);
    expect((await subscriptions.find(101))?.owner).to.equal('alice');
    expect(await subscriptions.update('bob', 101, { url: `${base}/x`, events: [] })).to.equal(undefined);
    const updated = await subscriptions.update('alice', 101, { url: `${base}/a2`, events: ['file.deleted'], data: { name: 'renamed' } });
    expect(updated).to.include({ url: `${base}/a2` });
    expect(updated?.data).to.deep.equal({ name: 'renamed' });
    expect(await subscriptions.remove('bob', 101)).to.equal(false);
    expect(await subscriptions.remove('alice', 101)).to.equal(true);
    expect(await subscriptions.list('alice')).to.deep.equal([]);
  });

  it('refuses a URL that is not http(s)', async () => {
    const refused = await subscriptions.add('alice', { url: 'file:///etc/passwd', events: [] }).catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(Error);
  });

  it('sends an event to the owner\'s subscriptions listening for it, signed with the subscription\'s secret', async () => {
    const listening = await subscriptions.add('carol', { url: `${base}/listening`, events: ['file.created'] });
    const otherEvent = await subscriptions.add('carol', { url: `${base}/other-event`, events: ['file.deleted'] });
    const otherOwner = await subscriptions.add('dave', { url: `${base}/other-owner`, events: [] });
    const everything = await subscriptions.add('carol', { url: `${base}/everything`, events: [] });
    await subscriptions.notify('carol', 'file.created', { hello: 'world' }, { 'X-Api': 'demo' });
    const [delivery] = await arrived('/listening', 1);
    await arrived('/everything', 1);
    const body = delivery!.body;
    expect(JSON.parse(body)).to.deep.equal({ hello: 'world' });
    expect(delivery!.headers['x-api']).to.equal('demo');
    expect(delivery!.headers['content-type']).to.equal('application/json');
    expect(delivery!.headers['x-mediahost-event']).to.equal('file.created');
    const secret = await subscriptions.secret(listening.id);
    expect(secret).to.equal(createHmac('sha256', PLUGIN_SECRET).update(`demo-webhook:${listening.id}`).digest('hex'));
    const timestamp = delivery!.headers['x-mediahost-timestamp'] as string;
    expect(delivery!.headers['x-mediahost-signature']).to.equal(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
    expect(await subscriptions.secret(everything.id)).not.to.equal(secret);
    // every delivery is recorded before notify returns: none was queued for the others
    expect(await subscriptions.deliveries(otherEvent.id)).to.deep.equal([]);
    expect(await subscriptions.deliveries(otherOwner.id)).to.deep.equal([]);
    expect((await subscriptions.deliveries(listening.id)).map((d) => d.event)).to.deep.equal(['file.created']);
  });

  it('sends to an endpoint from settings only the events it listens to, with its headers and unsigned', async () => {
    const target = { hookId: 'settings', url: `${base}/target`, events: ['sessionCreated'], headers: { 'X-Origin': 'demo' } };
    await subscriptions.notifyTarget(target, 'sessionDestroyed', { event: 'sessionDestroyed' });
    await subscriptions.notifyTarget(target, 'sessionCreated', { event: 'sessionCreated' });
    const [delivery] = await arrived('/target', 1);
    expect(JSON.parse(delivery!.body)).to.deep.equal({ event: 'sessionCreated' });
    expect(delivery!.headers['x-origin']).to.equal('demo');
    expect(delivery!.headers['x-mediahost-signature']).to.equal(undefined);
  });

  it('adopts a subscription stored before, keeping its id and dates, once', async () => {
    const createdAt = new Date('2024-01-02T03:04:05Z');
    const old = { id: 7, owner: 'erin', url: `${base}/old`, events: ['file.created'], data: { name: 'old' }, createdAt, updatedAt: createdAt };
    await subscriptions.adopt(old);
    await subscriptions.adopt({ ...old, url: `${base}/again` });
    expect(await subscriptions.list('erin')).to.deep.equal([old]);
  });
});
