import path from 'node:path';
import { mkdirSync } from 'node:fs';
import winston from 'winston';
import type { LoggerEntry } from '../config/schemas.js';

export type Logger = winston.Logger;

/**
 * One log file per process (or plugin), rotated by size: `fileName` is always the live file
 * and the `maxFiles` newest archives are kept beside it (fileName1, fileName2, …).
 */
export function createLogger(entry: LoggerEntry, rootDir: string, defaultMeta: Record<string, string>): Logger {
  const fileName = path.resolve(rootDir, entry.fileName);
  mkdirSync(path.dirname(fileName), { recursive: true });
  const transports: winston.transport[] = [
    new winston.transports.File({
      filename: fileName,
      maxsize: entry.maxFileSize,
      maxFiles: entry.maxFiles + 1,
      tailable: true,
    }),
  ];
  if (entry.console) {
    transports.push(new winston.transports.Console({ format: winston.format.simple() }));
  }
  return winston.createLogger({
    level: entry.level,
    defaultMeta,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports,
  });
}

/** Resolves once every transport has written what it was given. */
export async function closeLogger(logger: Logger): Promise<void> {
  const finished = new Promise<void>((resolve) => logger.on('finish', () => resolve()));
  logger.end();
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 2000))]);
}
