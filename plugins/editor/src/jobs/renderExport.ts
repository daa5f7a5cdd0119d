import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineJob, jobType, withLocalCopies, type JobHandle, type JobRun, type MediaToolchain, type Model, type NumericIds, type Storage } from '@mediahost/core';
import type { EditorConfig } from '../config.js';
import type { ExportDoc } from '../models/exportJob.js';
import type { MediaFileDoc } from '../models/mediaFile.js';
import type { Exports } from '../services/exports.js';
import { exportCommand, probeMedia } from '../services/mediaCommands.js';
import type { Fonts } from '../services/fonts.js';
import type { Instances } from '../services/instances.js';
import { mediaLayout } from '../services/mediaLayout.js';
import { renderGraph } from '../services/renderGraph.js';
import type { Timelines } from '../services/timelines.js';
import type { Usage } from '../services/usage.js';
import type { Users } from '../services/users.js';
import type { EditorWebhooks } from '../services/webhooks.js';

export const RENDER = jobType<{ exportId: string }>('render');
export const RENDER_RETRIES = 1;

interface Deps {
  exports: Exports;
  files: Model<MediaFileDoc>;
  timelines: Timelines;
  instances: Instances;
  users: Users;
  fonts: Fonts;
  ids: NumericIds;
  storage: Storage;
  media: MediaToolchain;
  config: EditorConfig;
  webhooks: EditorWebhooks;
  usage: Usage;
  /** Hands a rendered export over to the publish library, when it asked for it. */
  toLibrary: JobHandle<{ exportId: string }>;
}

async function ending(deps: Deps, doc: ExportDoc): Promise<void> {
  await deps.webhooks.send('exportEnding', { userId: doc.userId, instanceId: doc.instanceId }, {
    exportId: doc._id,
    userId: doc.userId,
    instanceId: doc.instanceId,
    duration: doc.durationMs,
    title: doc.title,
    description: doc.description,
    status: doc.status,
    timelineId: doc.timelineId,
    ...(doc.status === 'COMPLETED' ? { urls: deps.exports.urls(doc), fileId: doc.fileId, fileSize: doc.fileSize } : { error: doc.error }),
  });
}

/**
 * Renders an export's timeline to an MP4 that becomes a file of the user, then announces it. The inputs (the timeline's
 * sources, its custom fonts) are fetched into a scratch folder of this process and the MP4 stored from it.
 */
async function render(deps: Deps, job: JobRun<{ exportId: string }>): Promise<void> {
  const { exports, storage } = deps;
  const doc = await exports.exports.findById(job.data.exportId).lean<ExportDoc>();
  // A run interrupted once the export was completed may not have handed it over yet: the hand-over is idempotent.
  if (doc?.status === 'COMPLETED' && doc.publishToLibrary) await deps.toLibrary.enqueue({ exportId: doc._id });
  if (!doc || doc.status === 'COMPLETED' || doc.status === 'FAILED') return;
  await exports.exports.updateOne({ _id: doc._id }, { $set: { status: 'RENDERING', progress: 0 } });
  let done: ExportDoc | null;
  try {
    done = await storage.withScratch(`render-${doc._id}`, (work) => renderIn(deps, job, doc, work));
  } catch (error) {
    if (job.attempt < RENDER_RETRIES) {
      await exports.exports.updateOne({ _id: doc._id }, { $set: { status: 'QUEUED' } });
      throw error;
    }
    const message = (error as Error).message.slice(0, 2000);
    const failed = await exports.exports.findByIdAndUpdate(doc._id, { $set: { status: 'FAILED', error: message, finishedAt: new Date() } }, { returnDocument: 'after' }).lean<ExportDoc>();
    await ending(deps, failed!);
    return;
  }
  if (done?.publishToLibrary) await deps.toLibrary.enqueue({ exportId: done._id });
  await ending(deps, done!);
}

async function renderIn(deps: Deps, job: JobRun<{ exportId: string }>, doc: ExportDoc, work: string): Promise<ExportDoc | null> {
  const { exports, storage, media, config } = deps;
  const { layout, files } = await deps.timelines.layout(doc.tracks, doc.instanceId);
  const instance = await deps.instances.get(doc.instanceId);
  const font = await deps.fonts.resolver(instance, work, layout.texts.map((text) => text.font));
  for (const [i, text] of layout.texts.entries()) await writeFile(path.join(work, `text-${i}.txt`), text.text);
  const output = path.join(work, 'export.mp4');
  const ids = [...files.keys()];
  await withLocalCopies(storage, ids.map((id) => mediaLayout.source(id, files.get(id)!.sourceName)), async (inputs) => {
    const local = new Map(ids.map((id, i) => [id, inputs[i]!]));
    const graph = renderGraph(layout, { media: (id) => local.get(id)!, font, textFile: (i) => path.join(work, `text-${i}.txt`) }, config.export);
    const command = exportCommand(media, graph, output, layout.durationMs, config.export);
    let last = 0;
    await media.run(command, { durationSeconds: layout.durationMs / 1000, onProgress: (p) => {
      if (Date.now() - last < 1000) return;
      last = Date.now();
      void job.progress(Math.round(p)).catch(() => undefined);
      void exports.exports.updateOne({ _id: doc._id }, { $set: { progress: Math.round(p) } }).catch(() => undefined);
    } });
  });

  const user = await deps.users.get(doc.userId);
  const probe = await probeMedia(media, output, { trusted: true });
  const { size } = await stat(output);
  const fileId = doc.fileId ?? (await deps.ids.next('file'));
  await storage.putFile(mediaLayout.source(fileId, 'source.mp4'), output);
  await deps.files.replaceOne(
    { _id: fileId },
    {
      _id: fileId, instanceId: doc.instanceId, userId: doc.userId, folderId: user.rootFolderId, title: doc.title, description: doc.description,
      type: 'video', mimetype: 'video/mp4', size, durationMs: probe.durationMs, width: probe.width, height: probe.height, hasAudio: probe.hasAudio,
      sourceName: 'source.mp4', hasProxy: false, origin: 'export', createdAt: new Date(),
    },
    { upsert: true },
  );
  await deps.usage.record(doc.instanceId, 'export', doc.timelineId);
  return exports.exports.findByIdAndUpdate(doc._id, { $set: { status: 'COMPLETED', progress: 100, fileId, fileSize: size, finishedAt: new Date() } }, { returnDocument: 'after' }).lean<ExportDoc>();
}

export function renderJob(deps: Deps) {
  return defineJob(RENDER, (_payload, job) => render(deps, job), { concurrency: deps.config.renderConcurrency, maxRetries: RENDER_RETRIES, retryDelayMs: 5_000, lockLifetimeMs: 120_000 });
}
