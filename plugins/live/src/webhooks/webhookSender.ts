import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger, Webhooks } from '@mediahost/core';
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
 * Sends each event to the configured webhook (through the core's persisted, retried deliveries) when its name passes
 * the event filter, and appends it to the CDR file when CDR is on. Reads the settings at each event: /pro/restart applies at once.
 */
export class WebhookSender {
  /** CDR lines are appended one after the other, in event order. */
  private cdrWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: LiveSettings,
    private readonly webhooks: Webhooks,
    private readonly cdrFile: string,
    private readonly logger: Logger,
  ) {}

  readonly sink = (event: string, body: Record<string, unknown>): void => {
    const { webhook, cdr } = this.settings.current;
    const json = JSON.stringify(body);
    if (webhook.enabled && webhook.endpoint && (webhook.events.length === 0 || webhook.events.includes(event))) {
      this.webhooks
        .send({ hookId: 'openvidu', event, url: webhook.endpoint, headers: parseHeaders(webhook.headers), body: json })
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
