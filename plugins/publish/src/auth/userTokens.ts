import { errors, jwtVerify, SignJWT } from 'jose';

/** The claims of a VideoCMS login token, as its Go code signs them (no iat, sub or aud), plus the user's credentials stamp. */
export interface UserClaims {
  /** The back-office user's id (a number in VideoCMS, an ObjectId string here). */
  userid: string;
  username: string;
  admin: boolean;
  /** The user's credentials stamp when the token was issued: a password change voids the token. */
  stamp: string;
}

export interface VerifiedClaims extends UserClaims {
  expiresAt: Date;
}

export class InvalidUserTokenError extends Error {
  constructor(readonly expired: boolean) {
    super(expired ? 'Expired JWT Token' : 'Invalid JWT Token');
    this.name = 'InvalidUserTokenError';
  }
}

/** Three base64url parts: a token that is not this shape is some other scheme's (an OAuth access token…). */
export function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
}

/** HS256 JWTs for the VideoCMS login, signed with the plugin's persistent secret. */
export class UserTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly lifetimeSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async issue(claims: UserClaims): Promise<{ token: string; expiresAt: Date }> {
    const exp = Math.floor(this.now() / 1000) + this.lifetimeSeconds;
    const token = await new SignJWT({ userid: claims.userid, username: claims.username, admin: claims.admin, stamp: claims.stamp })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The token's claims; InvalidUserTokenError when the signature, algorithm, claims or expiry do not hold. */
  async verify(token: string): Promise<VerifiedClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], requiredClaims: ['exp'], currentDate: new Date(this.now()) });
      const { userid, username, admin, exp, stamp = '' } = payload;
      if (typeof userid !== 'string' || typeof username !== 'string' || typeof admin !== 'boolean' || typeof stamp !== 'string') throw new InvalidUserTokenError(false);
      return { userid, username, admin, stamp, expiresAt: new Date(exp! * 1000) };
    } catch (error) {
      if (error instanceof InvalidUserTokenError) throw error;
      if (error instanceof errors.JWTExpired) throw new InvalidUserTokenError(true);
      if (error instanceof errors.JOSEError) throw new InvalidUserTokenError(false);
      throw error;
    }
  }
}

/** RFC 3339 as VideoCMS writes whole-second times: 2024-05-08T12:00:00Z. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
