import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Context } from 'koa';
import { BadRequestError, parseInput, Router, sendStored, type PluginUrls, type Storage } from '@mediahost/core';
import type { Exports } from '../../services/exports.js';
import type { Fonts } from '../../services/fonts.js';
import type { Instances } from '../../services/instances.js';
import type { MediaFiles } from '../../services/mediaFiles.js';
import { mediaLayout } from '../../services/mediaLayout.js';
import { fileIdsOf } from '../../services/timelineLayout.js';
import { timelineView, type Timelines } from '../../services/timelines.js';
import { TRANSITIONS, timelineUpdateSchema } from '../../models/timelineSchema.js';
import type { Users } from '../../services/users.js';
import type { SessionAccess } from '../../services/sessionAccess.js';
import type { Sso } from '../../services/sso.js';
import { requireSession, sessionOf } from './browserSession.js';
import { editorPage, hubPage } from './editorPage.js';

interface Deps {
  sso: Sso;
  access: SessionAccess;
  users: Users;
  instances: Instances;
  timelines: Timelines;
  files: MediaFiles;
  exports: Exports;
  fonts: Fonts;
  storage: Storage;
  urls: PluginUrls;
}

/** The bundle of src/browser/editor.ts (scripts/build-browser.js), which the editor page loads from /assets/editor.js below the plugin's public prefix. */
const editorScript = fileURLToPath(new URL('../../browser/editor.js', import.meta.url));

/** Partners embed these pages in iframes: they drop the back office's X-Frame-Options for frame-ancestors *. */
function embeddable(ctx: Context): void {
  ctx.remove('X-Frame-Options');
  ctx.set('Content-Security-Policy', "frame-ancestors *; default-src 'self'; script-src 'self'; style-src 'unsafe-inline'; media-src 'self' blob:");
}

/** The browser side: the editor and the hub, behind the session an SSO login opened. */
export function editorRoutes(deps: Deps): Router {
  const router = new Router();
  const session = requireSession(deps.sso);
  const editorOf = (timelineId: number) => deps.urls.public(`/api/3/editor/${timelineId}`);
  const me = (ctx: Context) => deps.users.get(sessionOf(ctx).userId);
  const ownTimeline = async (ctx: Context, raw: string | undefined) => {
    const id = Number(raw);
    if (!Number.isSafeInteger(id)) throw new BadRequestError('Not a timeline id');
    return deps.access.timeline(sessionOf(ctx), id);
  };

  router.get('/assets/editor.js', async (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = await readFile(editorScript);
  });

  router.get('/api/3/editor', session, async (ctx) => {
    const { timelines } = await deps.timelines.ofUser(sessionOf(ctx).userId, 0, 1000);
    const latest = timelines.at(-1);
    if (latest) return ctx.redirect(editorOf(latest._id));
    const user = await me(ctx);
    ctx.redirect(editorOf((await deps.timelines.create(user, { title: 'My video', tracks: [] }))._id));
  });

  router.get('/api/3/editor/:id', session, async (ctx) => {
    const timeline = await ownTimeline(ctx, ctx.params.id);
    const user = await me(ctx);
    const used = await Promise.all(fileIdsOf(timeline.tracks).map((id) => deps.files.get(id).catch(() => undefined)));
    // What the user can add: their own media, besides the files already on the timeline (which the API user may own).
    const { files: own } = await deps.files.ofUser(user._id, 0, 1000);
    const files = [...new Map([...used, ...own].filter((f) => f !== undefined && f.instanceId === timeline.instanceId).map((f) => [f!._id, f!])).values()];
    const instance = await deps.instances.get(timeline.instanceId);
    await deps.timelines.opened(timeline, user);
    embeddable(ctx);
    ctx.type = 'html';
    ctx.body = editorPage({
      timeline: { id: timeline._id, title: timeline.title, duration: timeline.durationMs, tracks: timeline.tracks },
      files: files.map((f) => ({ id: f._id, title: f.title, type: f.type, duration: f.durationMs, preview: deps.urls.public(`/media/${f._id}/preview`) })),
      exportsUrl: deps.urls.public('/api/3/editor/exports/'),
      fonts: await deps.fonts.available(instance),
      transitions: TRANSITIONS,
    }, deps.urls.public('/assets/editor.js'));
  });

  router.put('/api/3/editor/:id', session, async (ctx) => {
    if (!ctx.is('json')) throw new BadRequestError('Send JSON');
    const timeline = await ownTimeline(ctx, ctx.params.id);
    const changes = parseInput(timelineUpdateSchema, ctx.request.body ?? {});
    ctx.body = timelineView(await deps.timelines.update(timeline, changes));
  });

  router.post('/api/3/editor/:id/export', session, async (ctx) => {
    // JSON only: a cross-site form cannot send it, and a cross-site fetch of it needs a preflight this route never grants.
    if (!ctx.is('json')) throw new BadRequestError('Send JSON');
    const timeline = await ownTimeline(ctx, ctx.params.id);
    ctx.body = { success: true, exportId: (await deps.exports.start(timeline, await me(ctx), {}))._id };
  });

  router.get('/api/3/editor/exports/:exportId', session, async (ctx) => {
    const doc = await deps.access.exportOf(sessionOf(ctx), await deps.exports.get(ctx.params.exportId!));
    ctx.body = deps.exports.view(doc);
  });

  router.get('/api/4/editor/withfile/:fileId', session, async (ctx) => {
    const file = await deps.access.file(sessionOf(ctx), Number(ctx.params.fileId));
    ctx.redirect(editorOf((await deps.timelines.withFile(await me(ctx), file))._id));
  });

  /** What the editor previews: a video's proxy, an image or a sound as it is. */
  router.get('/media/:fileId/preview', session, async (ctx) => {
    const file = await deps.access.file(sessionOf(ctx), Number(ctx.params.fileId));
    const stored = file.hasProxy ? mediaLayout.proxy(file._id) : mediaLayout.source(file._id, file.sourceName);
    await sendStored(ctx, deps.storage, stored, { contentType: file.hasProxy ? 'video/mp4' : file.mimetype });
  });

  router.get('/hub', session, async (ctx) => {
    const user = await me(ctx);
    const { timelines } = await deps.timelines.ofUser(user._id, 0, 1000);
    embeddable(ctx);
    ctx.type = 'html';
    ctx.body = hubPage(`${user.firstName} ${user.lastName}`.trim() || user.email, timelines.map((t) => ({ title: t.title, url: editorOf(t._id) })));
  });
  return router;
}
