import { createHmac, timingSafeEqual } from 'node:crypto';

export const MEDIA_COOKIE = 'vc_media';

/**
 * The player's pass to a file's media: "<fileId>.<expiry>.<hmac>", set HttpOnly on the file's own path by the
 * player page, so media URLs can be shared without opening the media to anyone who has not loaded the player.
 */
export class MediaCookie {
  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number,
  ) {}

  issue(fileId: string, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + this.ttlSeconds;
    return `${fileId}.${expires}.${this.sign(fileId, expires)}`;
  }

  opens(value: string | undefined, fileId: string, now = Date.now()): boolean {
    const [id, expiresText, signature] = (value ?? '').split('.');
    const expires = Number(expiresText);
    if (id !== fileId || !signature || !Number.isInteger(expires) || expires * 1000 < now) return false;
    const expected = Buffer.from(this.sign(fileId, expires));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${fileId}.${expires}`).digest('base64url');
  }
}
