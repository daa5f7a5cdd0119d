import { expect } from 'chai';
import { Writable } from 'node:stream';
import winston from 'winston';
import { defineEvent, EventBus, EventDeliveryError } from './eventBus.js';

/** A logger keeping what it was given, to see the failures the bus logged. */
function recordingLogger() {
  const logged: string[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: { message: string }, _encoding, next) {
      logged.push(info.message);
      next();
    },
  });
  return { logger: winston.createLogger({ transports: [new winston.transports.Stream({ stream })] }), logged };
}

interface FileDoc {
  _id: string;
  status: string;
}

describe('EventBus', () => {
  it('delivers a payload to the listeners of its event only', () => {
    const bus = new EventBus(recordingLogger().logger);
    const created = defineEvent<FileDoc>('publish.file.created');
    const deleted = defineEvent<FileDoc>('publish.file.deleted');
    const seen: string[] = [];
    bus.on(created, (file) => void seen.push(`created ${file._id}`));
    bus.on(deleted, (file) => void seen.push(`deleted ${file._id}`));
    bus.emit(created, { _id: 'f1', status: 'ready' });
    expect(seen).to.deep.equal(['created f1']);
  });

  it('lets another plugin subscribe by declaring the same name and type, without importing the emitter', () => {
    const bus = new EventBus(recordingLogger().logger);
    const emitted = defineEvent<{ _id: string }>('publish.encoding.finished');
    const declaredElsewhere = defineEvent<{ _id: string }>('publish.encoding.finished');
    const seen: string[] = [];
    bus.on(declaredElsewhere, (file) => void seen.push(file._id));
    bus.emit(emitted, { _id: 'f2' });
    expect(seen).to.deep.equal(['f2']);
  });

  it('stops calling a listener once unsubscribed', () => {
    const bus = new EventBus(recordingLogger().logger);
    const ticked = defineEvent<number>('demo.ticked');
    const seen: number[] = [];
    const off = bus.on(ticked, (n) => void seen.push(n));
    bus.emit(ticked, 1);
    off();
    bus.emit(ticked, 2);
    expect(seen).to.deep.equal([1]);
  });

  it('logs a failing listener, thrown or rejected, and still calls the others without failing the emitter', async () => {
    const { logger, logged } = recordingLogger();
    const bus = new EventBus(logger);
    const ticked = defineEvent<number>('demo.ticked');
    const seen: number[] = [];
    bus.on(ticked, () => {
      throw new Error('thrown');
    });
    bus.on(ticked, async () => {
      throw new Error('rejected');
    });
    bus.on(ticked, (n) => void seen.push(n));
    expect(() => bus.emit(ticked, 3)).not.to.throw();
    expect(seen).to.deep.equal([3]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(logged).to.deep.equal(['a listener of demo.ticked failed', 'a listener of demo.ticked failed']);
  });

  describe('deliver', () => {
    it('resolves only once every listener, synchronous or not, has finished with the payload', async () => {
      const bus = new EventBus(recordingLogger().logger);
      const handed = defineEvent<string>('demo.handed');
      const kept: string[] = [];
      bus.on(handed, async (work) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        kept.push(`slow ${work}`);
      });
      bus.on(handed, (work) => void kept.push(`quick ${work}`));
      await bus.deliver(handed, 'w1');
      expect(kept.sort()).to.deep.equal(['quick w1', 'slow w1']);
    });

    it('rejects when a listener fails, after the others ran, naming the event and the failure', async () => {
      const bus = new EventBus(recordingLogger().logger);
      const handed = defineEvent<string>('demo.handed');
      const kept: string[] = [];
      bus.on(handed, async () => {
        throw new Error('disk full');
      });
      bus.on(handed, (work) => void kept.push(work));
      const error = await bus.deliver(handed, 'w1').then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(EventDeliveryError);
      expect((error as Error).message).to.contain('demo.handed').and.to.contain('disk full');
      expect(kept).to.deep.equal(['w1']);
    });

    it('rejects when nobody listens: the work would otherwise be dropped silently', async () => {
      const bus = new EventBus(recordingLogger().logger);
      const error = await bus.deliver(defineEvent<string>('demo.unheard'), 'w1').then(() => undefined, (e: unknown) => e);
      expect(error).to.be.instanceOf(EventDeliveryError);
      expect((error as Error).message).to.contain('nobody listens to demo.unheard');
    });
  });
});
