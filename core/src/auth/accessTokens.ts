import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenKeyRing } from './tokenKeys.js';

/** What an access token says of itself, signed: no database is read to check it. */
export interface AccessTokenClaims {
  /** Token id, for revocation. */
  jti: string;
  applicationId: string;
  clientId: string;
  scopes: string[];
  /** The application's credentials generation when it was issued: renewing the secret voids older tokens. */
  generation: number;
  /** Seconds since the epoch. */
  expiresAt: number;
}

interface Payload {
  j: string;
  a: string;
  c: string;
  s: string[];
  g: number;
  e: number;
}

const PREFIX = 'mh1';
/** Tokens whose signature was checked recently: a client reuses one token for many requests. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Self-contained access tokens: `mh1.<key id>.<payload>.<HMAC-SHA256>`, base64url. A token is valid when its
 * signature matches a key of the ring and it has not expired; the Bearer check then asks the in-memory
 * application directory whether the application still exists, at the same generation, and the token is not revoked.
 */
export class AccessTokens {
  /** Token → its claims and key, once its signature matched; claims never change, and expiry and revocation are checked per use. */
  private readonly verified = new Map<string, { claims: AccessTokenClaims; keyId: string }>();

  constructor(private readonly keys: TokenKeyRing) {}

  issue(claims: Omit<AccessTokenClaims, 'jti'>): { token: string; claims: AccessTokenClaims } {
    const jti = randomBytes(12).toString('base64url');
    const payload: Payload = { j: jti, a: claims.applicationId, c: claims.clientId, s: claims.scopes, g: claims.generation, e: claims.expiresAt };
    const key = this.keys.signingKey();
    const body = `${PREFIX}.${key.id}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return { token: `${body}.${createHmac('sha256', key.secret).update(body).digest('base64url')}`, claims: { ...claims, jti } };
  }

  /** The claims of a token whose signature matched before, while its key is still in the ring: no work but a lookup. */
  remembered(token: string): AccessTokenClaims | undefined {
    const entry = this.verified.get(token);
    return entry && this.keys.known(entry.keyId) ? entry.claims : undefined;
  }

  /** The claims of a well-signed token, expired or not; undefined for anything else. */
  async read(token: string): Promise<AccessTokenClaims | undefined> {
    const remembered = this.remembered(token);
    if (remembered) return remembered;
    const verified = await this.verify(token);
    if (verified) {
      if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
      this.verified.set(token, verified);
    }
    return verified?.claims;
  }

  private async verify(token: string): Promise<{ claims: AccessTokenClaims; keyId: string } | undefined> {
    const parts = token.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) return undefined;
    const [, keyId, payload, signature] = parts as [string, string, string, string];
    const key = this.keys.known(keyId) ?? (await this.keys.verificationKey(keyId));
    if (!key) return undefined;
    const expected = createHmac('sha256', key.secret).update(`${PREFIX}.${keyId}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Payload;
      return { claims: { jti: p.j, applicationId: p.a, clientId: p.c, scopes: p.s, generation: p.g, expiresAt: p.e }, keyId };
    } catch {
      return undefined;
    }
  }
}
