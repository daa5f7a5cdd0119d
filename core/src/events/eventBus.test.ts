import { expect } from 'chai';
import { Writable } from 'node:stream';
import winston from 'winston';
import { defineEvent, EventBus } from './eventBus.js';

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
});
