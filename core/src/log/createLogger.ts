import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import winston from 'winston';
import type { LoggerEntry } from '../config/schemas.js';
import { errorFields } from './errorFormat.js';

export type Logger = winston.Logger;

/**
 * One log file per process (or plugin), rotated by size as logrotate does: `fileName` is always the
 * live file and the `maxFiles` newest archives are kept beside it (fileName.1 the newest, …).
 * winston's own size rotation drops lines written while it rotates, so a rotating stream does it.
 */
export function createLogger(entry: LoggerEntry, rootDir: string, defaultMeta: Record<string, string>): Logger {
  const fileName = path.resolve(rootDir, entry.fileName);
  mkdirSync(path.dirname(fileName), { recursive: true });
  const file = createStream(path.basename(fileName), {
    path: path.dirname(fileName),
    size: `${Math.max(1, Math.floor(entry.maxFileSize / 1024))}K`,
    rotate: entry.maxFiles,
  });
  file.on('error', (error) => process.stderr.write(`log file ${fileName}: ${error.message}\n`));
  const transports: winston.transport[] = [new winston.transports.Stream({ stream: file })];
  if (entry.console) {
    transports.push(new winston.transports.Console({ format: winston.format.simple() }));
  }
  const logger = winston.createLogger({
    level: entry.level,
    defaultMeta,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), errorFields(), winston.format.json()),
    transports,
  });
  files.set(logger, file);
  return logger;
}

const files = new WeakMap<Logger, RotatingFileStream>();

function settled(emitter: NodeJS.EventEmitter, event: string): Promise<void> {
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, 2000).unref());
  return Promise.race([new Promise<void>((resolve) => emitter.once(event, () => resolve())), timeout]);
}

/** Resolves once everything logged is on disk. */
export async function closeLogger(logger: Logger): Promise<void> {
  const file = files.get(logger);
  const loggerDone = settled(logger, 'finish');
  logger.end();
  await loggerDone;
  if (file) {
    const fileDone = settled(file, 'finish');
    file.end();
    await fileDone;
  }
}
