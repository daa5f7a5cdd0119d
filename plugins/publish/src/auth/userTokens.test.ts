import { expect } from 'chai';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { InvalidUserTokenError, looksLikeJwt, rfc3339, UserTokens } from './userTokens.js';

const SECRET = 'a-test-secret-of-enough-length-for-hs256-signing';
const claims = { userid: '64b000000000000000000001', username: 'ann@example.test', admin: false, stamp: 'credentials-stamp' };

async function rejection(promise: Promise<unknown>): Promise<InvalidUserTokenError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(InvalidUserTokenError);
    return error as InvalidUserTokenError;
  }
  throw new Error('expected the token to be refused');
}

describe('publish: UserTokens (VideoCMS login JWT)', () => {
  let now = Date.UTC(2026, 0, 1, 12, 0, 0);
  const clock = () => now;
  const tokens = new UserTokens(SECRET, 7 * 24 * 3600, clock);

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1, 12, 0, 0);
  });

  it('signs HS256 with exactly the VideoCMS claims (and the credentials stamp) and the configured lifetime', async () => {
    const { token, expiresAt } = await tokens.issue(claims);
    expect(decodeProtectedHeader(token)).to.deep.equal({ alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwt(token);
    expect(payload).to.deep.equal({ ...claims, exp: now / 1000 + 7 * 24 * 3600 });
    expect(expiresAt.toISOString()).to.equal('2026-01-08T12:00:00.000Z');
    expect(rfc3339(expiresAt)).to.equal('2026-01-08T12:00:00Z');
  });

  it('verifies its own token and returns the claims and expiry', async () => {
    const { token, expiresAt } = await tokens.issue(claims);
    expect(await tokens.verify(token)).to.deep.equal({ ...claims, expiresAt });
  });

  it('refuses an expired token as expired', async () => {
    const { token } = await tokens.issue(claims);
    now += 7 * 24 * 3600 * 1000;
    const error = await rejection(tokens.verify(token));
    expect(error.expired).to.equal(true);
    expect(error.message).to.equal('Expired JWT Token');
  });

  it('refuses a tampered payload, another secret, alg none and garbage as invalid', async () => {
    const { token } = await tokens.issue(claims);
    const [header, , signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, admin: true, exp: now / 1000 + 60 })).toString('base64url');
    const otherSecret = await new UserTokens('another-secret-of-enough-length-for-hs256-sig', 60, clock).issue(claims);
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${forgedPayload}.`;
    for (const bad of [`${header}.${forgedPayload}.${signature}`, otherSecret.token, none, 'a.b.c', '']) {
      const error = await rejection(tokens.verify(bad));
      expect(error.expired, bad).to.equal(false);
    }
  });

  it('refuses a correctly signed token whose claims are not a VideoCMS login (no exp, wrong types)', async () => {
    const key = new TextEncoder().encode(SECRET);
    const noExp = await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const wrongType = await new SignJWT({ ...claims, userid: 1 }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(now / 1000 + 60).sign(key);
    for (const bad of [noExp, wrongType]) expect((await rejection(tokens.verify(bad))).expired).to.equal(false);
  });

  it('tells a JWT-shaped credential from an opaque OAuth token', () => {
    expect(looksLikeJwt('eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.c2ln')).to.equal(true);
    expect(looksLikeJwt('q1w2e3r4t5y6u7i8o9p0-_AbCdEfGhIjKlMnOpQrStU')).to.equal(false);
    expect(looksLikeJwt('a.b')).to.equal(false);
  });
});
