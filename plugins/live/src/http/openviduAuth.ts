import { timingSafeEqual } from 'node:crypto';
import { UnauthorizedError, type PluginAuth } from '@mediahost/core';
import type { Context, Middleware } from 'koa';
import { OPERATOR, setCaller } from '../openvidu/caller.js';
import type { LiveSettings } from '../settings/liveSettings.js';

export const LIVE_SCOPE = 'live';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Basic OPENVIDUAPP:<secret>, as OpenVidu's clients send it. */
export function basicAccepted(ctx: Context, secret: string | undefined): boolean {
  const match = /^Basic\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
  if (!match || !secret) return false;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 && decoded.slice(0, colon) === 'OPENVIDUAPP' && sameSecret(decoded.slice(colon + 1), secret);
}

/**
 * The OpenVidu API's guard: Basic OPENVIDUAPP:<secret> (the operator), or one of the core's Bearer tokens carrying
 * the live scope (an application, confined to what it creates). Anything else is a 401 that says no more.
 */
export function openviduAuth(settings: LiveSettings, auth: PluginAuth): Middleware {
  return async (ctx, next) => {
    if (basicAccepted(ctx, settings.current.secret)) {
      setCaller(ctx, OPERATOR);
      return next();
    }
    if (/^Bearer\s/i.test(ctx.get('Authorization'))) {
      // The Bearer check answers at once or later, and refuses by throwing: both become "not accepted" here.
      const principal = await Promise.resolve()
        .then(() => auth.bearer(ctx))
        .catch(() => undefined);
      if (principal?.scopes.includes(LIVE_SCOPE)) {
        ctx.state.principal = principal;
        setCaller(ctx, { operator: false, owner: principal.subject });
        return next();
      }
    }
    ctx.state.authChallenge = 'Basic realm="OpenVidu"';
    throw new UnauthorizedError('Unauthorized');
  };
}
