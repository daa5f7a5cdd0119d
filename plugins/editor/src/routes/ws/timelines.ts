import type { Context } from 'koa';
import { describedRouter, NotFoundError, parseInput, z, type ApiDescription, type PluginAuth, type Router } from '@mediahost/core';
import type { Access } from '../../services/access.js';
import type { MediaFiles } from '../../services/mediaFiles.js';
import { pageQuerySchema, paged, skipOf } from '../../services/pages.js';
import { templateView, type Templates } from '../../services/templates.js';
import { timelineInputSchema, timelineUpdateSchema } from '../../models/timelineSchema.js';
import { timelineView, type Timelines } from '../../services/timelines.js';
import { idParam, optionalId } from './params.js';
import { pagedSchema, success, successSchema, templateViewSchema, timelineViewSchema } from './wevSchemas.js';

const status = z.enum(['draft', 'published']);
const fromTimelineSchema = z.object({ status: status.default('draft'), global: z.boolean().default(false) });
const templateUpdateSchema = z.object({ status: status.optional(), title: z.string().trim().min(1).max(500).optional() });
const fromTemplateSchema = z.object({ userId: optionalId, projectId: z.unknown().optional(), title: z.string().trim().min(1).max(500).optional() });
const idList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'a comma-separated list of ids')
  .transform((v) => v.split(',').map(Number));
const withFileQuery = z.object({ userId: z.coerce.number().int().positive().optional() });
const searchSchema = pageQuerySchema.extend({
  ids: z.union([idList, z.literal('').transform(() => undefined)]).optional(),
  userId: z.coerce.number().int().positive().optional(),
  instanceId: z.coerce.number().int().positive().optional(),
  global: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

interface TimelineRouteDeps {
  access: Access;
  timelines: Timelines;
  templates: Templates;
  files: MediaFiles;
  auth: PluginAuth;
  /** The absolute URL of a timeline's editor page, where "editor with file" redirects. */
  editorUrl: (timelineId: number) => string;
  api: ApiDescription;
}

/** Timelines (the reference's copy, plus create/read/update/delete that its editor does), templates and "editor with file". */
export function timelineRoutes({ access, timelines, templates, files, auth, editorUrl, api }: TimelineRouteDeps): Router {
  const { router, route } = describedRouter('', api);
  const done = { 200: { description: 'Done', schema: successSchema } };
  const newTimeline = { 200: { description: 'The timeline id', schema: success({ timelineId: z.number().int() }) } };
  const templatePage = { 200: { description: 'A page of templates', schema: pagedSchema(templateViewSchema) } };
  const principal = (ctx: Context) => auth.principal(ctx)!;
  const ownedTimeline = async (ctx: Context, id: number) => {
    const timeline = await timelines.get(id);
    await access.ownsInstance(principal(ctx), timeline.instanceId).catch(() => {
      throw new NotFoundError(`Timeline ${id} not found`);
    });
    return timeline;
  };
  const ownedTemplate = async (ctx: Context, id: number) => {
    const template = await templates.get(id);
    await access.ownsInstance(principal(ctx), template.instanceId).catch(() => {
      throw new NotFoundError(`Template ${id} not found`);
    });
    return template;
  };
  const ok = (ctx: Context, extra: object = {}) => {
    ctx.body = { success: true, ...extra };
  };

  route({ method: 'post', path: '/api/4/timelines', summary: 'Creates a timeline', body: timelineInputSchema, responses: newTimeline, errors: [404] }, async (ctx) => {
    const input = parseInput(timelineInputSchema, ctx.request.body ?? {});
    const owner = await access.userOrApiUser(principal(ctx), input.userId);
    ok(ctx, { timelineId: (await timelines.create(owner, input))._id });
  });
  route({ method: 'get', path: '/api/4/timelines/{id}', summary: 'A timeline', responses: { 200: { description: 'The timeline', schema: timelineViewSchema } }, errors: [404] }, async (ctx) => {
    ctx.body = timelineView(await ownedTimeline(ctx, idParam(ctx.params.id)));
  });
  route({ method: 'put', path: '/api/4/timelines/{id}', summary: 'Changes a timeline', body: timelineUpdateSchema, responses: { 200: { description: 'The timeline', schema: success({ timeline: timelineViewSchema }) } }, errors: [404] }, async (ctx) => {
    const timeline = await ownedTimeline(ctx, idParam(ctx.params.id));
    ok(ctx, { timeline: timelineView(await timelines.update(timeline, parseInput(timelineUpdateSchema, ctx.request.body ?? {}))) });
  });
  route({ method: 'delete', path: '/api/4/timelines/{id}', summary: 'Deletes a timeline', responses: done, errors: [404] }, async (ctx) => {
    await timelines.remove(await ownedTimeline(ctx, idParam(ctx.params.id)));
    ok(ctx);
  });
  route({ method: 'post', path: '/api/4/timelines/{id}/copy/{userId}', summary: "Copies a timeline to a user", responses: newTimeline, errors: [404] }, async (ctx) => {
    const timeline = await ownedTimeline(ctx, idParam(ctx.params.id));
    const to = await access.user(principal(ctx), idParam(ctx.params.userId, 'userId'));
    ok(ctx, { timelineId: (await timelines.copy(timeline, to))._id });
  });
  route({ method: 'get', path: '/api/3/users/{id}/timelines', summary: "A user's timelines", query: pageQuerySchema, responses: { 200: { description: 'A page of timelines', schema: pagedSchema(timelineViewSchema) } }, errors: [404] }, async (ctx) => {
    const user = await access.user(principal(ctx), idParam(ctx.params.id));
    const query = parseInput(pageQuerySchema, ctx.query);
    const found = await timelines.ofUser(user._id, skipOf(query), query.pageSize);
    ctx.body = paged(found.timelines.map(timelineView), found.total, query);
  });

  route({ method: 'post', path: '/api/4/templates/fromtimeline/{id}', summary: 'Makes a template of a timeline', body: fromTimelineSchema, bodyRequired: false, responses: { 200: { description: 'The template id', schema: success({ templateId: z.number().int() }) } }, errors: [404] }, async (ctx) => {
    const timeline = await ownedTimeline(ctx, idParam(ctx.params.id));
    const input = parseInput(fromTimelineSchema, ctx.request.body ?? {});
    ok(ctx, { templateId: (await templates.fromTimeline(timeline, input.status, input.global))._id });
  });
  const search = async (ctx: Context) => {
    const query = parseInput(searchSchema, ctx.query);
    const mine = (await access.instances.list(principal(ctx))).map((i) => i._id);
    const instanceIds = query.instanceId === undefined ? mine : mine.filter((id) => id === query.instanceId);
    const found = await templates.search({ ids: query.ids, userId: query.userId, instanceIds, global: query.global }, skipOf(query), query.pageSize);
    ctx.body = paged(found.templates.map(templateView), found.total, query);
  };
  route({ method: 'post', path: '/api/4/templates/search', summary: 'Searches templates (criteria in the query string)', query: searchSchema, responses: templatePage }, search);
  route({ method: 'get', path: '/api/4/templates/search', summary: 'Searches templates', query: searchSchema, responses: templatePage }, search);
  route({ method: 'get', path: '/api/4/templates/{id}', summary: 'A template', responses: { 200: { description: 'The template', schema: templateViewSchema } }, errors: [404] }, async (ctx) => {
    ctx.body = templateView(await ownedTemplate(ctx, idParam(ctx.params.id)));
  });
  route({ method: 'put', path: '/api/4/templates/{id}', summary: 'Changes a template', body: templateUpdateSchema, responses: done, errors: [404] }, async (ctx) => {
    const template = await ownedTemplate(ctx, idParam(ctx.params.id));
    await templates.update(template, parseInput(templateUpdateSchema, ctx.request.body ?? {}));
    ok(ctx);
  });
  route({ method: 'delete', path: '/api/4/templates/{id}', summary: 'Deletes a template', responses: done, errors: [404] }, async (ctx) => {
    await templates.remove(await ownedTemplate(ctx, idParam(ctx.params.id)));
    ok(ctx);
  });
  route({ method: 'post', path: '/api/4/templates/{id}/timeline', summary: 'Makes a timeline of a template', body: fromTemplateSchema, bodyRequired: false, responses: newTimeline, errors: [404] }, async (ctx) => {
    const template = await ownedTemplate(ctx, idParam(ctx.params.id));
    const input = parseInput(fromTemplateSchema, ctx.request.body ?? {});
    const owner = input.userId !== undefined ? await access.user(principal(ctx), input.userId) : await access.users.get(template.userId);
    ok(ctx, { timelineId: (await templates.toTimeline(template, owner, input.title))._id });
  });

  route({ method: 'get', path: '/api/4/editor/withfile/{fileId}', summary: "Opens the editor on a new timeline holding a file: a redirect to the editor's page", query: withFileQuery, responses: { 302: { description: 'To the editor (Location), with a line of text saying so', schema: z.string(), contentType: 'text/plain' } }, errors: [404] }, async (ctx) => {
    const file = await files.get(idParam(ctx.params.fileId, 'fileId'));
    await access.ownsInstance(principal(ctx), file.instanceId).catch(() => {
      throw new NotFoundError(`File ${file._id} not found`);
    });
    const userId = parseInput(withFileQuery, ctx.query).userId;
    const owner = await access.user(principal(ctx), userId ?? file.userId);
    const timeline = await timelines.withFile(owner, file);
    ctx.redirect(editorUrl(timeline._id));
  });
  return router;
}
