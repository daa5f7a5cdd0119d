import type { EventBus, EventType, Logger, Model, Webhooks } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import type { WebhookDoc, WebhookEvent } from '../models/webhook.js';
import { FILE_EVENTS } from '../events.js';
import { EVENT_HEADER, SIGNATURE_HEADER, signDelivery, TIMESTAMP_HEADER, webhookSecret } from './webhookSigning.js';

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

/** Posts the owner's file events to each of their webhooks listening for them, through the core's persisted deliveries. */
export class WebhookDispatcher {
  constructor(
    private readonly webhooks: Model<WebhookDoc>,
    private readonly deliveries: Webhooks,
    private readonly pluginSecret: string,
    private readonly logger: Logger,
  ) {}

  listen(events: EventBus): void {
    for (const [platformEvent, event] of WEBHOOK_EVENTS) {
      events.on(platformEvent, (file) => {
        this.dispatch(event, file).catch((error: unknown) => this.logger.error('could not queue webhook deliveries', { event, file: file._id, error }));
      });
    }
  }

  async dispatch(event: WebhookEvent, file: FileDoc): Promise<void> {
    const hooks = await this.webhooks.find({ owner: file.owner }).lean<WebhookDoc[]>();
    const body = JSON.stringify(eventPayload(event, file, new Date()));
    for (const hook of hooks.filter((h) => h.events.includes(event))) {
      const timestamp = Math.floor(Date.now() / 1000);
      await this.deliveries.send({
        hookId: String(hook._id),
        event,
        url: hook.url,
        body,
        headers: {
          'Content-Type': 'application/json',
          [EVENT_HEADER]: event,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signDelivery(webhookSecret(this.pluginSecret, hook._id), timestamp, body),
        },
      });
    }
  }
}
