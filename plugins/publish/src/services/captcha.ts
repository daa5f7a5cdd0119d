import { createChallenge, verifySolution, type Challenge, type Solution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';
import { jwtVerify, SignJWT } from 'jose';
import type { Model } from '@mediahost/core';
import type { CaptchaClaimDoc } from '../models/captchaClaim.js';

/** A challenge stays solvable this long; its claim is kept as long, then purged. */
const CHALLENGE_TTL_MS = 10 * 60_000;
/** PBKDF2 rounds per attempt; with the default two-hex-digit prefix, about 256 attempts: a second or so in a browser. */
const COST = 5000;
/** How long a solved player captcha lets the browser watch (VideoCMS's captcha_bypass cookie). */
export const BYPASS_TTL_SECONDS = 3600;
const BYPASS_AUDIENCE = 'publish-captcha-bypass';

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/** What the widget posts: base64 of JSON {challenge, solution}, or the JSON itself. */
function decodePayload(encoded: string): { challenge: Challenge; solution: Solution } | undefined {
  for (const text of [encoded, Buffer.from(encoded, 'base64').toString('utf8')]) {
    try {
      const payload = JSON.parse(text) as { challenge?: Challenge; solution?: Solution };
      if (payload?.challenge?.parameters && payload.solution) return { challenge: payload.challenge, solution: payload.solution };
    } catch {
      // try the other form
    }
  }
  return undefined;
}

/**
 * ALTCHA's proof-of-work captcha (altcha-lib): challenges signed with the plugin's secret, solved in the browser by
 * the altcha widget, verified here once each (the claim by signature is an insert under a unique _id). No third party
 * is asked, so it works on a host without internet.
 */
export class Captcha {
  private readonly bypassKey: Uint8Array;

  constructor(
    private readonly secret: string,
    private readonly claims: Model<CaptchaClaimDoc>,
  ) {
    this.bypassKey = new TextEncoder().encode(`${secret}:bypass`);
  }

  challenge(): Promise<Challenge> {
    return createChallenge({ algorithm: 'PBKDF2/SHA-256', cost: COST, deriveKey, hmacSignatureSecret: this.secret, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) });
  }

  /** Whether the payload solves a challenge of ours, unexpired and never used before. */
  async verify(encoded: unknown): Promise<boolean> {
    if (typeof encoded !== 'string' || encoded.length > 10_000) return false;
    const payload = decodePayload(encoded);
    if (!payload?.challenge.signature) return false;
    const result = await verifySolution({ challenge: payload.challenge, solution: payload.solution, deriveKey, hmacSignatureSecret: this.secret }).catch(() => undefined);
    if (!result?.verified) return false;
    try {
      await this.claims.create({ _id: payload.challenge.signature, at: new Date() });
      return true;
    } catch (error) {
      if (isDuplicate(error)) return false;
      throw error;
    }
  }

  /** Forgets claims of challenges that have expired anyway. */
  async purge(): Promise<void> {
    await this.claims.deleteMany({ at: { $lt: new Date(Date.now() - CHALLENGE_TTL_MS) } });
  }

  issueBypass(): Promise<string> {
    return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience(BYPASS_AUDIENCE).setIssuedAt().setExpirationTime(`${BYPASS_TTL_SECONDS}s`).sign(this.bypassKey);
  }

  async bypassValid(token: string | undefined): Promise<boolean> {
    if (!token) return false;
    return jwtVerify(token, this.bypassKey, { audience: BYPASS_AUDIENCE, algorithms: ['HS256'] }).then(
      () => true,
      () => false,
    );
  }
}
