import { BadRequestError, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { MediaFileDoc } from '../models/mediaFile.js';
import type { TimelineDoc } from '../models/timeline.js';
import { fileIdsOf, layOut, type Layout, type LayoutFile } from './timelineLayout.js';
import type { Track } from '../models/timelineSchema.js';
import type { Usage } from './usage.js';
import type { EditorWebhooks } from './webhooks.js';

export const timelineView = (timeline: TimelineDoc) => ({
  id: timeline._id,
  title: timeline.title,
  description: timeline.description,
  userId: timeline.userId,
  instanceId: timeline.instanceId,
  duration: timeline.durationMs,
  tracks: timeline.tracks,
  created: timeline.createdAt?.getTime(),
  updated: timeline.updatedAt?.getTime(),
});

/** Timelines: validated against their files, laid out to know their duration, announced by webhooks. */
export class Timelines {
  constructor(
    private readonly timelines: Model<TimelineDoc>,
    private readonly files: Model<MediaFileDoc>,
    private readonly ids: NumericIds,
    private readonly webhooks: EditorWebhooks,
    private readonly usage: Usage,
  ) {}

  /** The files a timeline uses, which must be in its instance. */
  async filesOf(tracks: Track[], instanceId: number): Promise<Map<number, MediaFileDoc>> {
    const found = new Map<number, MediaFileDoc>();
    for (const id of fileIdsOf(tracks)) {
      const file = await this.files.findById(id).lean<MediaFileDoc>();
      if (!file || file.instanceId !== instanceId) throw new BadRequestError(`File ${id} not found in the instance`);
      found.set(id, file);
    }
    return found;
  }

  async layout(tracks: Track[], instanceId: number): Promise<{ layout: Layout; files: Map<number, MediaFileDoc> }> {
    const files = await this.filesOf(tracks, instanceId);
    const layoutFiles = new Map<number, LayoutFile>([...files].map(([id, f]) => [id, { id, type: f.type, durationMs: f.durationMs, hasAudio: f.hasAudio }]));
    return { layout: layOut(tracks, layoutFiles), files };
  }

  async create(owner: EditorUserDoc, input: { title: string; description?: string; tracks: Track[] }): Promise<TimelineDoc> {
    const { layout } = await this.layout(input.tracks, owner.instanceId);
    const _id = await this.ids.next('timeline');
    const timeline = (
      await this.timelines.create({ _id, instanceId: owner.instanceId, userId: owner._id, title: input.title, description: input.description ?? '', tracks: input.tracks, durationMs: layout.durationMs })
    ).toObject();
    await this.usage.record(owner.instanceId, 'edit', _id);
    await this.webhooks.send('timelineCreated', { userId: owner._id, instanceId: owner.instanceId }, { id: _id, instanceId: owner.instanceId, title: timeline.title, duration: timeline.durationMs });
    return timeline;
  }

  async update(timeline: TimelineDoc, changes: { title?: string; description?: string; tracks?: Track[] }): Promise<TimelineDoc> {
    const set: Partial<TimelineDoc> = { ...(changes.title !== undefined ? { title: changes.title } : {}), ...(changes.description !== undefined ? { description: changes.description } : {}) };
    if (changes.tracks) {
      set.tracks = changes.tracks;
      set.durationMs = (await this.layout(changes.tracks, timeline.instanceId)).layout.durationMs;
    }
    return (await this.timelines.findByIdAndUpdate(timeline._id, { $set: set }, { returnDocument: 'after' }).lean<TimelineDoc>())!;
  }

  async get(id: number): Promise<TimelineDoc> {
    const timeline = Number.isSafeInteger(id) ? await this.timelines.findById(id).lean<TimelineDoc>() : null;
    if (!timeline) throw new NotFoundError(`Timeline ${id} not found`);
    return timeline;
  }

  async remove(timeline: TimelineDoc): Promise<void> {
    await this.timelines.deleteOne({ _id: timeline._id });
    await this.webhooks.send('timelineDeleted', { userId: timeline.userId, instanceId: timeline.instanceId }, { id: timeline._id, instanceId: timeline.instanceId, title: timeline.title });
  }

  /** Copies a timeline to a user (its files must be in the receiving user's instance). */
  copy(timeline: TimelineDoc, to: EditorUserDoc, title = timeline.title): Promise<TimelineDoc> {
    return this.create(to, { title, description: timeline.description, tracks: timeline.tracks });
  }

  async ofUser(userId: number, skip: number, limit: number): Promise<{ timelines: TimelineDoc[]; total: number }> {
    const [timelines, total] = await Promise.all([this.timelines.find({ userId }).sort({ _id: 1 }).skip(skip).limit(limit).lean<TimelineDoc[]>().exec(), this.timelines.countDocuments({ userId })]);
    return { timelines, total };
  }

  opened(timeline: TimelineDoc, user: EditorUserDoc): Promise<void> {
    return this.webhooks.send('timelineOpened', { userId: user._id, instanceId: timeline.instanceId, user: `${user.firstName} ${user.lastName}`.trim() || user.email }, { instanceId: timeline.instanceId, id: timeline._id });
  }

  /** A new timeline holding one clip of the whole file (GET /api/4/editor/withfile/:fileId). */
  withFile(owner: EditorUserDoc, file: MediaFileDoc): Promise<TimelineDoc> {
    if (file.type === 'audio') return this.create(owner, { title: file.title, tracks: [{ type: 'audio', clips: [{ fileId: file._id, in: 0, volume: 1 }] }] });
    return this.create(owner, { title: file.title, tracks: [{ type: 'video', clips: [{ fileId: file._id, in: 0, volume: 1 }] }] });
  }
}
