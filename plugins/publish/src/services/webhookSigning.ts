import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Mediahost-Signature';
export const TIMESTAMP_HEADER = 'X-Mediahost-Timestamp';
export const EVENT_HEADER = 'X-Mediahost-Event';

/** A webhook's signing secret, derived from the plugin's own secret and the webhook id: never stored. */
export function webhookSecret(pluginSecret: string, webhookId: number): string {
  return createHmac('sha256', pluginSecret).update(`publish-webhook:${webhookId}`).digest('hex');
}

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the timestamp is signed so a delivery cannot be replayed later. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
