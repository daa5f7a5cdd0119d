import type { EventBus, EventType, Logger, WebhookSubscriptions } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { WebhookEvent } from '../models/webhook.js';
import { FILE_EVENTS } from '../events.js';

const WEBHOOK_EVENTS: [EventType<FileDoc>, WebhookEvent][] = [
  [FILE_EVENTS.created, 'file.created'],
  [FILE_EVENTS.encodingFinished, 'encoding.finished'],
  [FILE_EVENTS.encodingFailed, 'encoding.failed'],
  [FILE_EVENTS.deleted, 'file.deleted'],
];

export function eventPayload(event: WebhookEvent, file: FileDoc, at: Date) {
  return {
    event,
    occurredAt: at.toISOString(),
    file: {
      ID: file.linkId,
      UUID: file._id,
      Name: file.name,
      ParentFolderID: file.folderId ?? 0,
      Size: file.size,
      Duration: file.durationSeconds,
      Status: file.status,
      ...(event === 'encoding.failed' ? { Error: file.encoding?.error ?? '' } : {}),
    },
  };
}

/** Posts the owner's file events, in VideoCMS's JSON, to their webhooks listening for them (the core filters, signs and delivers). */
export class WebhookDispatcher {
  constructor(
    private readonly subscriptions: WebhookSubscriptions,
    private readonly logger: Logger,
  ) {}

  listen(events: EventBus): void {
    for (const [platformEvent, event] of WEBHOOK_EVENTS) {
      events.on(platformEvent, (file) => {
        this.dispatch(event, file).catch((error: unknown) => this.logger.error('could not queue webhook deliveries', { event, file: file._id, error }));
      });
    }
  }

  dispatch(event: WebhookEvent, file: FileDoc): Promise<void> {
    return this.subscriptions.notify(file.owner, event, eventPayload(event, file, new Date()));
  }
}
