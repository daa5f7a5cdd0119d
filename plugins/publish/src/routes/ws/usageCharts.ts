import type { Context, Middleware } from 'koa';
import { BadRequestError, z, type DescribedRoute } from '@mediahost/core';
import type { UsageKind } from '../../models/usage.js';
import type { TopBy, UsageStats } from '../../services/usageStats.js';
import { fields } from './videocmsInput.js';
import { chartSchema, topListSchema } from './videocmsSchemas.js';

const DAY_MS = 86_400_000;
/**
 * The widest window a chart is drawn over (two years): a chart has a point a day, and schemathesis's `from=0020-02-29`
 * kept a process busy with 730,000 of them past its 30 s timeout.
 */
export const MAX_RANGE_DAYS = 731;
const rfc3339 = z.iso.datetime({ offset: true }).transform((s) => new Date(s)).optional();
/** VideoCMS's legacy `interval`, used only when `from` is absent. */
const INTERVAL_MS: Record<string, number> = { '5min': 4 * 3600_000, '1h': DAY_MS, '7h': 7 * DAY_MS };
export const rangeInput = z.object({ from: rfc3339, to: rfc3339, points: z.coerce.number().int().min(0).optional(), interval: z.string().optional() });

/** The window of a chart as VideoCMS reads it: `to` defaults to now, `from` to `interval` or the given span before it. */
export function rangeOf(ctx: Context, defaultSpanMs: number, defaultToOffsetMs = 0): { from: Date; to: Date } {
  const input = fields(ctx, rangeInput);
  const to = input.to ?? new Date(Date.now() + defaultToOffsetMs);
  const from = input.from ?? new Date(to.getTime() - (INTERVAL_MS[input.interval ?? ''] ?? defaultSpanMs));
  if (from > to) throw new BadRequestError('from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new BadRequestError(`from and to may be at most ${MAX_RANGE_DAYS} days apart`);
  return { from, to };
}

function modeOf<M extends string>(ctx: Context, modes: readonly M[], fallback: M): M {
  const mode = (ctx.query.mode as string | undefined) || fallback;
  if (!modes.includes(mode as M)) throw new BadRequestError(`mode must be one of ${modes.join(', ')}`);
  return mode as M;
}

/**
 * VideoCMS's usage charts ({Traffic:[{Timestamp,Bytes}]}) and top lists ([{ID,Name,value}]) as `route`s: below
 * /account for the caller (owner = the caller, tops by file), below /stats for an admin (owner = ?user_id or
 * everyone, tops by user unless ?mode=files).
 */
export function usageChartRoutes(route: DescribedRoute, guards: Middleware[], ownerOf: (ctx: Context) => string | null, topBy: 'files' | 'users', stats: UsageStats, query: z.ZodObject = rangeInput): void {
  const withModes = (...modes: string[]) => query.extend({ mode: z.enum(modes as [string, ...string[]]).optional() });
  const anyTopQuery = topBy === 'files' ? query : withModes('users', 'files');
  const anyTop = (ctx: Context): TopBy => (topBy === 'files' ? 'files' : modeOf(ctx, ['users', 'files'] as const, 'users'));
  const series = (path: string, kind: UsageKind, spanMs: number, toOffsetMs = 0) =>
    route({ method: 'get', path, summary: `The ${kind} chart`, query, responses: { 200: { description: 'Bytes (seconds for durations) a bucket', schema: chartSchema } } }, ...guards, async (ctx) => {
      const { from, to } = rangeOf(ctx, spanMs, toOffsetMs);
      ctx.body = { Traffic: await stats.series(kind, ownerOf(ctx), from, to) };
    });
  const top = (path: string, kind: UsageKind, topQuery: z.ZodObject, by: (ctx: Context) => TopBy) =>
    route({ method: 'get', path, summary: `The top ${kind}`, query: topQuery, responses: { 200: { description: 'The largest first', schema: topListSchema } } }, ...guards, async (ctx) => {
      const { from, to } = rangeOf(ctx, DAY_MS);
      ctx.body = await stats.top(kind, ownerOf(ctx), from, to, by(ctx));
    });

  series('/traffic', 'traffic', DAY_MS);
  top('/traffic/top', 'traffic', anyTopQuery, anyTop);
  series('/upload', 'upload', DAY_MS);
  // VideoCMS's own upload top takes ?mode (files by default) for the caller too
  top('/upload/top', 'upload', withModes('files', 'users'), (ctx) => modeOf(ctx, ['files', 'users'] as const, topBy));
  series('/encoding', 'encoding', DAY_MS);
  top('/encoding/top', 'encoding', anyTopQuery, anyTop);
  route({ method: 'get', path: '/storage/top', summary: 'The top stored bytes', query: anyTopQuery, responses: { 200: { description: 'The largest first', schema: topListSchema } } }, ...guards, async (ctx) => {
    ctx.body = await stats.storageTop(ownerOf(ctx), topBy === 'files' ? 'files' : modeOf(ctx, ['users', 'files'] as const, 'users'));
  });
  // VideoCMS's remote-download charts default to the last 30 days, up to a day ahead.
  series('/remote-download', 'remote', 30 * DAY_MS, DAY_MS);
  series('/remote-download/duration', 'remoteSeconds', 30 * DAY_MS, DAY_MS);
  route({ method: 'get', path: '/remote-download/top', summary: 'The top remote downloads by domain, user or duration', query: withModes('domains', 'users', 'duration'), responses: { 200: { description: 'The largest first', schema: topListSchema } } }, ...guards, async (ctx) => {
    const { from, to } = rangeOf(ctx, 30 * DAY_MS, DAY_MS);
    const mode = modeOf(ctx, ['domains', 'users', 'duration'] as const, 'domains');
    ctx.body = await stats.top(mode === 'duration' ? 'remoteSeconds' : 'remote', ownerOf(ctx), from, to, mode === 'duration' ? 'users' : mode);
  });
}
