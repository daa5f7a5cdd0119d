import { NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { TemplateDoc, TemplateStatus, TimelineDoc } from '../models/timeline.js';
import type { Timelines } from './timelines.js';
import type { EditorWebhooks } from './webhooks.js';

export const templateView = (template: TemplateDoc) => ({
  id: template._id,
  title: template.title,
  description: template.description,
  status: template.status,
  global: template.global,
  userId: template.userId,
  instanceId: template.instanceId,
  duration: template.durationMs,
  sourceTimelineId: template.sourceTimelineId,
  created: template.createdAt?.getTime(),
  updated: template.updatedAt?.getTime(),
});

export interface TemplateSearch {
  ids?: number[];
  userId?: number;
  instanceIds: number[];
  global?: boolean;
}

export class Templates {
  constructor(
    private readonly templates: Model<TemplateDoc>,
    private readonly ids: NumericIds,
    private readonly timelines: Timelines,
    private readonly webhooks: EditorWebhooks,
  ) {}

  async fromTimeline(timeline: TimelineDoc, status: TemplateStatus, global: boolean): Promise<TemplateDoc> {
    const _id = await this.ids.next('template');
    const template = (
      await this.templates.create({ _id, instanceId: timeline.instanceId, userId: timeline.userId, title: timeline.title, description: timeline.description, status, global, tracks: timeline.tracks, durationMs: timeline.durationMs, sourceTimelineId: timeline._id })
    ).toObject();
    await this.webhooks.send('templateCreated', { userId: timeline.userId, instanceId: timeline.instanceId }, { id: _id, instanceId: timeline.instanceId, title: template.title, duration: template.durationMs });
    return template;
  }

  async get(id: number): Promise<TemplateDoc> {
    const template = Number.isSafeInteger(id) ? await this.templates.findById(id).lean<TemplateDoc>() : null;
    if (!template) throw new NotFoundError(`Template ${id} not found`);
    return template;
  }

  async update(template: TemplateDoc, changes: { status?: TemplateStatus; title?: string }): Promise<void> {
    await this.templates.updateOne({ _id: template._id }, { $set: changes });
  }

  async remove(template: TemplateDoc): Promise<void> {
    await this.templates.deleteOne({ _id: template._id });
    await this.webhooks.send('templateDeleted', { userId: template.userId, instanceId: template.instanceId }, { id: template._id, instanceId: template.instanceId, title: template.title });
  }

  async search(query: TemplateSearch, skip: number, limit: number): Promise<{ templates: TemplateDoc[]; total: number }> {
    const filter: Record<string, unknown> = { instanceId: { $in: query.instanceIds } };
    if (query.ids) filter._id = { $in: query.ids };
    if (query.userId !== undefined) filter.userId = query.userId;
    if (query.global !== undefined) filter.global = query.global;
    const [templates, total] = await Promise.all([this.templates.find(filter).sort({ _id: 1 }).skip(skip).limit(limit).lean<TemplateDoc[]>().exec(), this.templates.countDocuments(filter)]);
    return { templates, total };
  }

  toTimeline(template: TemplateDoc, owner: EditorUserDoc, title?: string): Promise<TimelineDoc> {
    return this.timelines.create(owner, { title: title ?? template.title, description: template.description, tracks: template.tracks });
  }
}
