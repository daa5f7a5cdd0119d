import { copyFile, link, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineJob, jobType, MEDIA_NOT_FOUND, NotFoundError, NotMediaError, safeDownload, type JobRun, type MediaToolchain, type Model, type NumericIds, type PluginAuth, type Storage, type StoredMedia, type StoredMediaRegistry } from '@mediahost/core';
import type { EditorConfig } from '../config.js';
import type { MediaFileDoc } from '../models/mediaFile.js';
import type { StoredRequester, TicketDoc } from '../models/ticket.js';
import type { EditorWebhooks } from '../services/webhooks.js';
import { probeMedia, proxyCommand } from '../services/mediaCommands.js';
import { mediaLayout, safeExtension } from '../services/mediaLayout.js';
import type { Usage } from '../services/usage.js';
import { mediaRequesterOf } from '../services/storedRequester.js';

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
  storedMedia: StoredMediaRegistry;
  findUser: PluginAuth['findUser'];
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

/**
 * A ticket's file becomes a media file: fetch or take the upload, probe it, make the video's proxy, store both, record
 * it. The work happens in a scratch folder of this process (a worker with a disk of its own), removed whatever happens.
 */
async function ingest(deps: Deps, job: JobRun<{ ticketId: string }>): Promise<void> {
  const { tickets, storage } = deps;
  const ticket = await tickets.findById(job.data.ticketId).lean<TicketDoc>();
  if (!ticket || ticket.status !== 'TICKET_REGISTERED') return;
  try {
    await storage.withScratch(`ingest-${ticket._id}`, async (work) => {
      if (ticket.origin !== 'import') return storage.useLocalCopy(mediaLayout.upload(ticket._id), (source) => store(deps, job, ticket, work, source, ticket.title ?? ticket._id));
      if (ticket.storedFor) {
        const media = await openStored(deps, ticket.url!, ticket.storedFor);
        return media.useLocalCopy(async (stored) => {
          const source = path.join(work, 'source');
          await linkOrCopy(stored, source);
          return store(deps, job, ticket, work, source, media.fileName, media.title);
        });
      }
      const source = path.join(work, 'source');
      const downloaded = await download(deps, ticket.url!, source);
      return store(deps, job, ticket, work, source, downloaded.fileName);
    });
  } catch (error) {
    const final = job.attempt >= INGEST_RETRIES || error instanceof NotMediaError || (error as { status?: number }).status !== undefined;
    if (final) {
      if (ticket.fileId !== undefined) await storage.remove(mediaLayout.fileDir(ticket.fileId)).catch(() => undefined);
      const reloaded = await tickets.findById(ticket._id).lean<TicketDoc>();
      if (reloaded?.fileId !== undefined) await storage.remove(mediaLayout.fileDir(reloaded.fileId)).catch(() => undefined);
      if (ticket.origin === 'upload') await storage.remove(mediaLayout.upload(ticket._id));
      await tickets.updateOne({ _id: ticket._id }, { $set: { status: 'FAILED', error: (error as Error).message.split('\n')[0]!.slice(0, 500) } });
      return;
    }
    throw error;
  }
}

/**
 * The media a ticket names in another plugin's storage, opened again as whoever asked, with their rights now: the
 * same refusal whether it is gone, no longer theirs, or its plugin is not loaded in this process.
 */
async function openStored(deps: Deps, url: string, storedFor: StoredRequester): Promise<StoredMedia> {
  const requester = await mediaRequesterOf(storedFor, deps.findUser);
  const media = requester && (await deps.storedMedia.resolve(url, requester));
  if (!media) throw new NotFoundError(MEDIA_NOT_FOUND);
  return media;
}

/**
 * The stored media into the work folder without reading it: a hard link (same bytes, no space), a copy only across
 * disks. Whatever happens to the work file (moved into the editor's storage) leaves the provider's file as it was.
 */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await link(from, to).catch(() => copyFile(from, to));
}

/** Probes the local `source`, makes or fetches the proxy into `work`, and stores both as the ticket's media file. */
async function store(deps: Deps, job: JobRun<{ ticketId: string }>, ticket: TicketDoc, work: string, source: string, name: string, defaultTitle = titleOf(name)): Promise<void> {
  const { tickets, files, storage, media } = deps;
  await job.progress(30);
  const probe = await probeMedia(media, source, { limits: deps.config.limits });
  const fileId = ticket.fileId ?? (await deps.ids.next('file'));
  await tickets.updateOne({ _id: ticket._id }, { $set: { fileId } });
  const sourceName = `source${safeExtension(name)}`;
  const { size } = await stat(source);

  let hasProxy = false;
  if (probe.type === 'video') {
    const proxyPath = path.join(work, 'proxy.mp4');
    if (ticket.proxyUrl) {
      await download(deps, ticket.proxyUrl, proxyPath);
      const proxy = await probeMedia(media, proxyPath, { limits: deps.config.limits }).catch(() => undefined);
      if (proxy?.type !== 'video') throw new NotMediaError('the proxy file is not a video');
    } else {
      const command = proxyCommand(media, source, proxyPath, deps.config.proxy.preset, probe.hasAudio);
      await media.run(command, { durationSeconds: probe.durationMs / 1000, onProgress: (p) => void job.progress(Math.round(30 + p * 0.65)).catch(() => undefined) });
    }
    await storage.putFile(mediaLayout.proxy(fileId), proxyPath);
    hasProxy = true;
  }
  // The source is stored only once all is done, and the upload removed after, so a retry still finds the upload.
  await storage.putFile(mediaLayout.source(fileId, sourceName), source);
  if (ticket.origin === 'upload') await storage.remove(mediaLayout.upload(ticket._id));
  const title = ticket.title ?? defaultTitle;
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
  await deps.webhooks.sendRaw(ticket.instanceId, 'uploadCompleted', {
    uploadId: ticket._id,
    instanceId: ticket.instanceId,
    id: fileId,
    description: '',
    type: probe.type,
    file: { title, mimetype: probe.mimetype, size },
  });
}

export function ingestJob(deps: Deps) {
  return defineJob(INGEST, (_payload, job) => ingest(deps, job), { concurrency: 2, maxRetries: INGEST_RETRIES, retryDelayMs: 5_000, lockLifetimeMs: 120_000 });
}
