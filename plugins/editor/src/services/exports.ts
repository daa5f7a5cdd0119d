import { createHmac, randomUUID } from 'node:crypto';
import { ForbiddenError, NotFoundError, type JobHandle, type Model, type PluginUrls } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { ExportDoc } from '../models/exportJob.js';
import type { TimelineDoc } from '../models/timeline.js';
import { signaturesMatch } from '../auth/wevSignature.js';
import type { Instances } from './instances.js';
import type { Timelines } from './timelines.js';
import type { EditorWebhooks } from './webhooks.js';

const FILE_URL_LIFE_MS = 7 * 24 * 3600_000;

/** The instance setting (POST /api/3/instance/:id/setting) that publishes every export of the instance. */
export const PUBLISH_EXPORTS_SETTING = 'publishExportsToLibrary';

/** Exports: a persisted render job per request, announced by exportStarting and exportEnding. */
export class Exports {
  constructor(
    readonly exports: Model<ExportDoc>,
    private readonly timelines: Timelines,
    private readonly render: JobHandle<{ exportId: string }>,
    private readonly webhooks: EditorWebhooks,
    private readonly urlKey: string,
    private readonly pluginUrls: PluginUrls,
    private readonly instances: Instances,
  ) {}

  view(doc: ExportDoc) {
    return {
      exportId: doc._id,
      timelineId: doc.timelineId,
      userId: doc.userId,
      instanceId: doc.instanceId,
      title: doc.title,
      description: doc.description,
      status: doc.status,
      progress: doc.progress,
      duration: doc.durationMs,
      ...(doc.fileId !== undefined ? { fileId: doc.fileId, fileSize: doc.fileSize, urls: this.urls(doc) } : {}),
      ...(doc.error ? { error: doc.error } : {}),
      created: doc.createdAt?.getTime(),
      finished: doc.finishedAt?.getTime(),
    };
  }

  async start(timeline: TimelineDoc, user: EditorUserDoc, input: { title?: string; description?: string; publishToLibrary?: boolean }): Promise<ExportDoc> {
    const { layout } = await this.timelines.layout(timeline.tracks, timeline.instanceId);
    const publishToLibrary = input.publishToLibrary ?? (await this.instances.get(timeline.instanceId)).settings?.[PUBLISH_EXPORTS_SETTING] === true;
    const _id = `${new Date().toISOString().slice(0, 10).replace(/-/g, '_')}_${randomUUID()}`;
    const doc = (
      await this.exports.create({
        _id,
        instanceId: timeline.instanceId,
        userId: user._id,
        timelineId: timeline._id,
        title: input.title ?? timeline.title,
        description: input.description ?? timeline.description,
        tracks: timeline.tracks,
        durationMs: layout.durationMs,
        status: 'QUEUED',
        ...(publishToLibrary ? { publishToLibrary } : {}),
      })
    ).toObject();
    await this.webhooks.send('exportStarting', { userId: user._id, instanceId: timeline.instanceId }, { exportId: _id, userId: user._id, instanceId: timeline.instanceId, duration: doc.durationMs, title: doc.title, timelineId: timeline._id });
    const jobId = await this.render.enqueue({ exportId: _id });
    await this.exports.updateOne({ _id }, { $set: { jobId } });
    return { ...doc, jobId };
  }

  async get(id: string): Promise<ExportDoc> {
    const doc = await this.exports.findById(id).lean<ExportDoc>();
    if (!doc) throw new NotFoundError(`Export ${id} not found`);
    return doc;
  }

  async ofUser(userId: number, skip: number, limit: number): Promise<{ exports: ExportDoc[]; total: number }> {
    const [exports, total] = await Promise.all([this.exports.find({ userId }).sort({ createdAt: 1 }).skip(skip).limit(limit).lean<ExportDoc[]>().exec(), this.exports.countDocuments({ userId })]);
    return { exports, total };
  }

  private signature(id: string, expires: number): string {
    return createHmac('sha256', this.urlKey).update(`export\n${id}\n${expires}`).digest('base64url');
  }

  /** WeVideo: the editor on the timeline; file: a download URL of the MP4, signed and valid for a week. */
  urls(doc: ExportDoc): { WeVideo: string; file: string } {
    const expires = Date.now() + FILE_URL_LIFE_MS;
    return {
      WeVideo: this.pluginUrls.absolute.public(`/api/3/editor/${doc.timelineId}`),
      file: `${this.pluginUrls.absolute.public(`/exports/${doc._id}/file.mp4`)}?Expires=${expires}&Signature=${this.signature(doc._id, expires)}`,
    };
  }

  async forDownload(id: string, expires: string | undefined, signature: string | undefined): Promise<ExportDoc> {
    const at = Number(expires);
    if (!signature || !Number.isFinite(at) || !signaturesMatch(this.signature(id, at), signature) || Date.now() > at) throw new ForbiddenError('Invalid or expired download URL');
    const doc = await this.get(id);
    if (doc.status !== 'COMPLETED' || doc.fileId === undefined) throw new NotFoundError('This export has no file');
    return doc;
  }
}
