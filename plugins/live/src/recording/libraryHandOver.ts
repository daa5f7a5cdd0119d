import path from 'node:path';
import { defineEvent, defineJob, jobType, type EventBus, type Storage } from '@mediahost/core';
import type { PublishToLibrary } from '../config.js';
import { OPERATOR_OWNER } from '../openvidu/caller.js';
import type { RecordedParticipant, RecordingInfo } from './recordingModel.js';
import type { RecordingFile, RecordingStore } from './recordingStore.js';
import { extractEntry } from './zipEntries.js';

/** publish's hand-over event, declared here with the fields live sends (see plugins/publish/src/libraryEvents.ts, docs/flows.md). */
export interface LibraryImport {
  source: string;
  owner: string;
  title: string;
  folder?: { key: string; name: string };
  path: string;
  details: Record<string, unknown>;
}
export const LIBRARY_IMPORT = defineEvent<LibraryImport>('library.import');

export const PUBLISH_RECORDING = jobType<{ id: string }>('publishRecording');

/** Whether a recording goes to the library: its session's choice, else liveConf.json's; the library holds videos only. */
export function wantedInLibrary(info: RecordingInfo, configured: PublishToLibrary): boolean {
  if (!info.properties.hasVideo) return false;
  const policy = info.publishToLibrary ?? configured;
  return policy === 'ALL' || (policy === 'COMPOSED' && info.properties.outputMode !== 'INDIVIDUAL');
}

const withLocalFile = <T>(file: RecordingFile, use: (local: string) => Promise<T>): Promise<T> =>
  'path' in file ? use(file.path) : file.storage.useLocalCopy(file.key, use);

interface Deps {
  store: RecordingStore;
  events: EventBus;
  /** The plugin's storage, for a scratch folder. */
  storage: Storage;
}

/**
 * Hands a ready recording over to the publish library of its session's owner (the operator's sessions: owner
 * `operator`, seen by the back office's video managers): one video for a COMPOSED recording, one per stream for an
 * INDIVIDUAL one, in a folder named after the session. publish takes each delivery idempotently, so a run that failed
 * half-way and runs again makes no second video.
 */
export function publishRecordingJob(deps: Deps) {
  return defineJob(
    PUBLISH_RECORDING,
    async ({ id }, job) => {
      const info = await deps.store.get(id);
      if (!info || info.status !== 'ready' || !info.fileName) return;
      const owner = info.owner ?? OPERATOR_OWNER;
      const title = info.properties.name || info.id;
      const source = `live.recording:${info.uniqueSessionId}:${info.id}`;
      const participants = info.participants ?? [];
      const details = {
        kind: 'live-recording',
        recordingId: info.id,
        sessionId: info.sessionId,
        uniqueSessionId: info.uniqueSessionId,
        outputMode: info.properties.outputMode,
        startTime: info.createdAt,
        endTime: info.createdAt + Math.round(info.duration * 1000),
      };
      await withLocalFile(deps.store.file(info.id, info.fileName), async (local) => {
        if (info.properties.outputMode !== 'INDIVIDUAL') {
          await deps.events.deliver(LIBRARY_IMPORT, { source, owner, title, path: local, details: { ...details, participants } });
          return;
        }
        // An audio-only stream is no video; recordings made before streams said so are taken as they are.
        const streams = participants.filter((p) => p.file && p.hasVideo !== false);
        const failures: unknown[] = [];
        await deps.storage.withScratch(`library-${info.id}`, async (work) => {
          const handOverStream = async (i: number, stream: RecordedParticipant) => {
            const file = path.join(work, `stream-${i}${path.extname(stream.file!).replace(/[^.a-z0-9]/gi, '')}`);
            await extractEntry(local, stream.file!, file);
            const who = stream.clientData || stream.serverData || stream.connectionId;
            await deps.events.deliver(LIBRARY_IMPORT, {
              source: `${source}:${stream.streamId}`,
              owner,
              title: `${title} - ${who}`,
              folder: { key: info.uniqueSessionId, name: info.sessionId },
              path: file,
              details: { ...details, participants: [stream], streamId: stream.streamId },
            });
          };
          for (const [i, stream] of streams.entries()) {
            // One stream that fails does not keep the others from the library; the job fails after them, to run again.
            await handOverStream(i, stream).catch((error: unknown) => failures.push(error));
            await job.progress(((i + 1) / streams.length) * 100);
          }
        });
        if (failures.length) throw new AggregateError(failures, `${failures.length} of ${streams.length} streams of ${info.id} were not handed over: ${failures.map((f) => (f as Error).message).join('; ')}`);
      });
    },
    { concurrency: 1, maxRetries: 5, retryDelayMs: 5_000 },
  );
}
