import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineJob, jobType, NotMediaError, safeDownload, type JobRun, type MediaToolchain, type Model, type NumericIds, type Storage } from '@mediahost/core';
import type { EditorConfig } from '../config.js';
import type { MediaFileDoc } from '../models/mediaFile.js';
import type { TicketDoc } from '../models/ticket.js';
import type { EditorWebhooks } from '../services/webhooks.js';
import { probeMedia, proxyCommand } from '../services/mediaCommands.js';
import { mediaLayout, safeExtension } from '../services/mediaLayout.js';
import type { Usage } from '../services/usage.js';

export const INGEST = jobType<{ ticketId: string }>('ingest');
export const INGEST_RETRIES = 1;

interface Deps {
  tickets: Model<TicketDoc>;
  files: Model<MediaFileDoc>;
  ids: NumericIds;
  storage: Storage;
  media: MediaToolchain;
  config: EditorConfig;
  allowedNetworks: string[];
  webhooks: EditorWebhooks;
  usage: Usage;
}

const titleOf = (name: string) => path.basename(name, path.extname(name)) || name;

async function download(deps: Deps, url: string, destination: string, onProgress?: (received: number, total?: number) => void) {
  return safeDownload(url, destination, {
    maxBytes: deps.config.maxFileBytes,
    timeoutMs: deps.config.importTimeoutSeconds * 1000,
    allowedNetworks: deps.allowedNetworks,
    onProgress,
  });
}

/** A ticket's file becomes a media file: fetch or take the upload, probe it, make the video's proxy, record it. */
async function ingest(deps: Deps, job: JobRun<{ ticketId: string }>): Promise<void> {
  const { tickets, files, storage, media } = deps;
  const ticket = await tickets.findById(job.data.ticketId).lean<TicketDoc>();
  if (!ticket || ticket.status !== 'TICKET_REGISTERED') return;
  const work = storage.resolve(mediaLayout.work(ticket._id));
  try {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    let source: string;
    let name: string;
    if (ticket.origin === 'import') {
      source = path.join(work, 'source');
      const downloaded = await download(deps, ticket.url!, source);
      name = downloaded.fileName;
    } else {
      source = storage.resolve(mediaLayout.upload(ticket._id));
      name = ticket.title ?? ticket._id;
    }
    await job.progress(30);
    const probe = await probeMedia(media, source, { limits: deps.config.limits });
    const fileId = ticket.fileId ?? (await deps.ids.next('file'));
    await tickets.updateOne({ _id: ticket._id }, { $set: { fileId } });
    const sourceName = `source${safeExtension(name)}`;
    await mkdir(storage.resolve(mediaLayout.fileDir(fileId)), { recursive: true });
    const { size } = await stat(source);

    // The source moves into the file's folder only once all is done, so a retry still finds the upload where it came.
    let hasProxy = false;
    if (probe.type === 'video') {
      const proxyPath = storage.resolve(mediaLayout.proxy(fileId));
      if (ticket.proxyUrl) {
        await download(deps, ticket.proxyUrl, proxyPath);
        const proxy = await probeMedia(media, proxyPath, { limits: deps.config.limits }).catch(() => undefined);
        if (proxy?.type !== 'video') throw new NotMediaError('the proxy file is not a video');
      } else {
        const command = proxyCommand(media, source, proxyPath, deps.config.proxy.preset, probe.hasAudio);
        await media.run(command, { durationSeconds: probe.durationMs / 1000, onProgress: (p) => void job.progress(Math.round(30 + p * 0.65)).catch(() => undefined) });
      }
      hasProxy = true;
    }
    await rename(source, storage.resolve(mediaLayout.source(fileId, sourceName)));
    const title = ticket.title ?? titleOf(name);
    const file: MediaFileDoc = {
      _id: fileId,
      instanceId: ticket.instanceId,
      userId: ticket.userId,
      folderId: ticket.folderId,
      title,
      description: '',
      type: probe.type,
      mimetype: probe.mimetype,
      size,
      durationMs: probe.durationMs,
      width: probe.width,
      height: probe.height,
      hasAudio: probe.hasAudio,
      sourceName,
      hasProxy,
      origin: ticket.origin,
      ticketId: ticket._id,
      createdAt: new Date(),
    };
    await files.replaceOne({ _id: fileId }, file, { upsert: true });
    // counted before the ticket says COMPLETED, so a report read after that includes it
    await deps.usage.record(ticket.instanceId, 'upload', fileId);
    await tickets.updateOne({ _id: ticket._id }, { $set: { status: 'COMPLETED' } });
    await rm(work, { recursive: true, force: true });
    await deps.webhooks.sendRaw(ticket.instanceId, 'uploadCompleted', {
      uploadId: ticket._id,
      instanceId: ticket.instanceId,
      id: fileId,
      description: '',
      type: probe.type,
      file: { title, mimetype: probe.mimetype, size },
    });
  } catch (error) {
    await rm(work, { recursive: true, force: true }).catch(() => undefined);
    const final = job.attempt >= INGEST_RETRIES || error instanceof NotMediaError || (error as { status?: number }).status !== undefined;
    if (final) {
      if (ticket.fileId !== undefined) await storage.remove(mediaLayout.fileDir(ticket.fileId)).catch(() => undefined);
      const reloaded = await tickets.findById(ticket._id).lean<TicketDoc>();
      if (reloaded?.fileId !== undefined) await storage.remove(mediaLayout.fileDir(reloaded.fileId)).catch(() => undefined);
      if (ticket.origin === 'upload') await rm(storage.resolve(mediaLayout.upload(ticket._id)), { force: true });
      await tickets.updateOne({ _id: ticket._id }, { $set: { status: 'FAILED', error: (error as Error).message.split('\n')[0]!.slice(0, 500) } });
      return;
    }
    throw error;
  }
}

export function ingestJob(deps: Deps) {
  return defineJob(INGEST, (_payload, job) => ingest(deps, job), { concurrency: 2, maxRetries: INGEST_RETRIES, retryDelayMs: 5_000, lockLifetimeMs: 120_000 });
}
