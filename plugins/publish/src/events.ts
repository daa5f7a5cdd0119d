import { defineEvent } from '@mediahost/core';
import type { FileDoc } from './models/file.js';

/**
 * The platform events a file goes through, each carrying the file as it is then; webhooks and usage listen to them.
 * Another plugin subscribes by declaring the same names with the payload type it reads.
 */
export const FILE_EVENTS = {
  created: defineEvent<FileDoc>('publish.file.created'),
  encodingFinished: defineEvent<FileDoc>('publish.encoding.finished'),
  encodingFailed: defineEvent<FileDoc>('publish.encoding.failed'),
  deleted: defineEvent<FileDoc>('publish.file.deleted'),
} as const;
