import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** WeVideo's request signature: Base64(HMAC-SHA256(secret, METHOD \n MD5-hex(body) \n Date \n full URL)). */
export function stringToSign(method: string, body: Buffer | string, date: string, url: string): string {
  const md5 = createHash('md5').update(body).digest('hex');
  return `${method.toUpperCase()}\n${md5}\n${date}\n${url}`;
}

export function wevSignature(secret: string, method: string, body: Buffer | string, date: string, url: string): string {
  return createHmac('sha256', secret).update(stringToSign(method, body, date, url), 'utf8').digest('base64');
}

export function signaturesMatch(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type WevCredentials = { scheme: 'WEVSIMPLE'; secret: string } | { scheme: 'WEV'; apiKey: string; signature: string };

/** The WEVSIMPLE or WEV credentials of an Authorization header, or undefined for any other scheme. */
export function parseWevAuthorization(header: string): WevCredentials | undefined {
  const simple = /^\s*WEVSIMPLE\s+(\S+)\s*$/i.exec(header);
  if (simple) return { scheme: 'WEVSIMPLE', secret: simple[1]! };
  const signed = /^\s*WEV\s+([^:\s]+):(\S+)\s*$/i.exec(header);
  if (signed) return { scheme: 'WEV', apiKey: signed[1]!, signature: signed[2]! };
  return undefined;
}
