import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Mediahost-Signature';
export const TIMESTAMP_HEADER = 'X-Mediahost-Timestamp';
export const EVENT_HEADER = 'X-Mediahost-Event';

/** A subscription's signing secret, derived from the plugin's own secret and the subscription id: never stored. */
export function subscriptionSecret(pluginSecret: string, plugin: string, id: number): string {
  return createHmac('sha256', pluginSecret).update(`${plugin}-webhook:${id}`).digest('hex');
}

/** `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>"): the timestamp is signed so a delivery cannot be replayed later. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
