import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineJob, jobType, type JobHandle, type Logger } from '@mediahost/core';
import type { LiveSettings } from '../settings/liveSettings.js';
import type { EventSink } from '../webhooks/openviduEvents.js';
import type { LiveFfmpeg } from './ffmpeg.js';
import { recordingEvent, type RecordedParticipant, type RecordingInfo } from './recordingModel.js';
import type { RecordingStore } from './recordingStore.js';
import { readManifest, type RecordedTrack } from './trackManifest.js';
import { zipFiles } from './zipStore.js';

export interface FinalizeDeps {
  store: RecordingStore;
  ffmpeg: LiveFfmpeg;
  settings: LiveSettings;
  sink: EventSink;
  /** The hand-over of a ready recording to the publish library, when its session or liveConf.json asks for it. */
  toLibrary: { wanted(info: RecordingInfo): boolean; job: JobHandle<{ id: string }> };
}

interface Finalized {
  fileName: string;
  size: number;
  duration: number;
  participants: RecordedParticipant[];
}

const participantOf = (track: RecordedTrack, file?: string): RecordedParticipant => ({
  connectionId: track.connectionId,
  streamId: track.streamId,
  clientData: track.clientData,
  serverData: track.serverData,
  hasAudio: track.hasAudio,
  hasVideo: track.hasVideo,
  ...(file ? { file } : {}),
  startTimeOffset: track.startTimeOffset,
  endTimeOffset: track.endTimeOffset,
});

const sizeOf = (file: string) => stat(file).then((s) => s.size, () => 0);

/** INDIVIDUAL: <name>.json describing each stream file, zipped with them into <name>.zip. */
async function finalizeIndividual(info: RecordingInfo, dir: string, deps: FinalizeDeps): Promise<Finalized> {
  const tracks = await readManifest(dir);
  const files = await Promise.all(
    tracks.map(async (t) => {
      // The file starts at its first key frame, a little after its recorder: its end is its start plus what it holds.
      const probed = await deps.ffmpeg.probe(path.join(dir, t.name)).catch(() => undefined);
      const endTimeOffset = probed && probed.durationSeconds > 0 ? t.startTimeOffset + Math.round(probed.durationSeconds * 1000) : t.endTimeOffset;
      return { ...t, endTimeOffset, size: await sizeOf(path.join(dir, t.name)) };
    }),
  );
  const name = info.properties.name || info.id;
  const jsonName = `${name}.json`;
  const description = { createdAt: info.createdAt, id: info.id, name, sessionId: info.sessionId, files };
  await writeFile(path.join(dir, jsonName), JSON.stringify(description, null, 2));
  const fileName = `${name}.zip`;
  await zipFiles(path.join(dir, fileName), [...files.map((f) => ({ name: f.name, path: path.join(dir, f.name) })), { name: jsonName, path: path.join(dir, jsonName) }]);
  const size = await sizeOf(path.join(dir, fileName));
  for (const f of files) await rm(path.join(dir, f.name), { force: true });
  await rm(path.join(dir, jsonName), { force: true });
  const duration = files.length ? (Math.max(...files.map((f) => f.endTimeOffset)) - Math.min(...files.map((f) => f.startTimeOffset))) / 1000 : 0;
  // OpenVidu's size of an INDIVIDUAL recording is its zip's.
  return { fileName, size, duration, participants: files.map((f) => participantOf(f, f.name)) };
}

/** COMPOSED: the tracks laid out as the recording's layout says into one file. */
async function finalizeComposed(info: RecordingInfo, dir: string, deps: FinalizeDeps): Promise<Finalized> {
  const tracksDir = path.join(dir, '.tracks');
  // The layouts draw the videos in publish order, a screen share first (OpenVidu's presenter).
  const tracks = (await readManifest(dir)).sort((a, b) => Number(b.typeOfVideo === 'SCREEN') - Number(a.typeOfVideo === 'SCREEN') || (a.publishedAt ?? 0) - (b.publishedAt ?? 0));
  const p = info.properties;
  const inputs = [];
  for (const track of tracks) {
    const file = path.join(tracksDir, track.name);
    const probed = await deps.ffmpeg.probe(file).catch(() => undefined);
    if (!probed) continue;
    inputs.push({ file, offset: track.startTimeOffset / 1000, hasAudio: probed.hasAudio && p.hasAudio, hasVideo: probed.hasVideo && p.hasVideo });
  }
  const video = p.hasVideo;
  if (!video && !inputs.some((i) => i.hasAudio)) throw new Error('no audio was recorded');
  const durationSeconds = Math.max(1, ...tracks.map((t) => t.endTimeOffset / 1000));
  const [width, height] = p.resolution.split('x').map(Number) as [number, number];
  const fileName = `${p.name || info.id}.${video ? 'mp4' : 'webm'}`;
  const output = path.join(dir, fileName);
  await deps.ffmpeg.compose(inputs, output, { width, height, frameRate: p.frameRate, durationSeconds, audio: p.hasAudio, video, layout: p.recordingLayout });
  const probed = await deps.ffmpeg.probe(output);
  await rm(tracksDir, { recursive: true, force: true });
  return { fileName, size: await sizeOf(output), duration: probed.durationSeconds, participants: tracks.map((t) => participantOf(t)) };
}

export const FINALIZE_RECORDING = jobType<{ id: string }>('finalizeRecording');

/** After stop: the recording's files are made final, then it is ready (or failed), with its size, duration and URL. */
export function finalizeRecordingJob(deps: FinalizeDeps, logger: Logger) {
  return defineJob(
    FINALIZE_RECORDING,
    async ({ id }) => {
      await deps.settings.load();
      const info = await deps.store.get(id);
      // A run interrupted after the recording was saved ready may not have handed it over yet: the hand-over is idempotent.
      if (info?.status === 'ready' && deps.toLibrary.wanted(info)) await deps.toLibrary.job.enqueue({ id });
      if (!info || info.status !== 'stopped') return;
      let ready = false;
      try {
        const result = await deps.store.finalizeIn(info.id, (dir) => (info.properties.outputMode === 'INDIVIDUAL' ? finalizeIndividual(info, dir, deps) : finalizeComposed(info, dir, deps)));
        Object.assign(info, { status: 'ready', size: result.size, duration: Math.round(result.duration * 1000) / 1000, fileName: result.fileName, participants: result.participants });
        ready = true;
      } catch (error) {
        logger.error('recording could not be finalized', { id: info.id, error });
        Object.assign(info, { status: 'failed', error: (error as Error).message });
      }
      const fileName = info.fileName ?? `${info.properties.name || info.id}.${info.properties.outputMode === 'INDIVIDUAL' ? 'zip' : info.properties.hasVideo ? 'mp4' : 'webm'}`;
      info.url = `${deps.settings.publicUrl}/openvidu/recordings/${info.id}/${fileName}`;
      await deps.store.save(info);
      deps.sink('recordingStatusChanged', { event: 'recordingStatusChanged', ...recordingEvent(info) });
      if (ready && deps.toLibrary.wanted(info)) await deps.toLibrary.job.enqueue({ id });
    },
    { concurrency: 1, maxRetries: 0 },
  );
}
