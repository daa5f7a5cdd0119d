import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, WebhookSubscriptions } from '@mediahost/core';
import type { LiveSettings } from '../settings/liveSettings.js';

/** "Name: value" lines of OPENVIDU_WEBHOOK_HEADERS. */
export function parseHeaders(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Sends each event to the configured webhook (the core filters it by the event list and delivers it, persisted and
 * retried), and appends it to the CDR file when CDR is on. Reads the settings at each event: /pro/restart applies at once.
 */
export class WebhookSender {
  /** CDR lines are appended one after the other, in event order. */
  private cdrWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: LiveSettings,
    private readonly webhooks: WebhookSubscriptions,
    private readonly cdrFile: string,
    private readonly logger: Logger,
  ) {}

  readonly sink = (event: string, body: Record<string, unknown>): void => {
    const { webhook, cdr } = this.settings.current;
    if (webhook.enabled && webhook.endpoint) {
      this.webhooks
        .notifyTarget({ hookId: 'openvidu', url: webhook.endpoint, events: webhook.events, headers: parseHeaders(webhook.headers) }, event, body)
        .catch((error: unknown) => this.logger.error('could not queue an OpenVidu webhook', { event, error }));
    }
    if (cdr) {
      const line = `${JSON.stringify({ [event]: body })}\n`;
      this.cdrWrites = this.cdrWrites
        .then(() => mkdir(path.dirname(this.cdrFile), { recursive: true }))
        .then(() => appendFile(this.cdrFile, line))
        .catch((error: unknown) => {
          this.logger.error('could not write the CDR', { event, error });
        });
    }
  };
}
