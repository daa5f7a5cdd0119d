import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError, ConflictError, NotFoundError, type JobHandle, type Logger } from '@mediahost/core';
import type { MediaKind } from '../media/mediaEngine.js';
import { mayAccess, OPERATOR, type Caller } from '../openvidu/caller.js';
import { parseBody, recordingProperties, recordingPropertiesSchema, recordingRangeProblem, type RecordingProperties } from '../openvidu/bodies.js';
import { InternalError, NotAcceptableError, NotImplementedError, UnprocessableError } from '../openvidu/httpErrors.js';
import { CUSTOM_LAYOUT_UNSUPPORTED } from './layouts.js';
import { activeConnections, type Connection, type PublishedStream, type Session } from '../sessions/model.js';
import type { EndReason, SessionRegistry } from '../sessions/sessionRegistry.js';
import type { LiveSettings } from '../settings/liveSettings.js';
import type { MediaEndpoints } from '../signalling/mediaEndpoints.js';
import type { EventSink } from '../webhooks/openviduEvents.js';
import type { LiveFfmpeg } from './ffmpeg.js';
import { recordingEvent, type RecordingInfo } from './recordingModel.js';
import type { RecordingStore } from './recordingStore.js';
import { StreamRecorder } from './streamRecorder.js';
import { writeManifest, type RecordedTrack } from './trackManifest.js';

interface TrackInProgress {
  recorder: StreamRecorder;
  connection: Connection;
  stream: PublishedStream;
  startTimeOffset: number;
}

interface ActiveRecording {
  info: RecordingInfo;
  session: Session;
  tracks: Map<string, TrackInProgress>;
  done: RecordedTrack[];
  /** Tracks being ended (a stream unpublished): stop waits for them, so their files reach the manifest. */
  ending: Set<Promise<void>>;
  /** Re-published streams get <streamId>-<n>. */
  fileCount: Map<string, number>;
}

export const recordingStartBodySchema = recordingPropertiesSchema.extend({ session: recordingPropertiesSchema.shape.name });

/** The registry's keepOpen hook: a session being recorded stays open once its last participant left, until the recording stops. */
export const keepsRecordedSessionOpen = (session: Session): boolean => session.recordingId !== undefined;

/** Starts and stops recordings of live sessions (CE behaviour), keeping their state on disk with the store. */
export class RecordingService {
  private readonly active = new Map<string, ActiveRecording>();
  private readonly autostop = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly deps: {
      registry: SessionRegistry;
      endpoints: MediaEndpoints;
      store: RecordingStore;
      ffmpeg: LiveFfmpeg;
      settings: LiveSettings;
      finalize: JobHandle<{ id: string }>;
      sink: EventSink;
      logger: Logger;
    },
  ) {
    const { registry } = deps;
    registry.on('streamPublished', (session, connection, stream) => void this.onPublished(session, connection, stream));
    registry.on('streamUnpublished', (session, _connection, stream) => void this.onUnpublished(session, stream));
    registry.on('participantLeft', (session) => this.armAutostop(session));
    registry.on('sessionDestroyed', (session) => {
      this.clearAutostop(session.id);
      if (session.recordingId) void this.stop(session.recordingId, OPERATOR, 'sessionClosedByServer').catch(() => undefined);
    });
  }

  private assertEnabled(): void {
    if (!this.deps.settings.current.recording.enabled) throw new NotImplementedError('The recording module is disabled');
  }

  async start(body: unknown, caller: Caller): Promise<RecordingInfo> {
    this.assertEnabled();
    const input = parseBody(recordingStartBodySchema, body);
    if (!input.session) throw new BadRequestError('session is mandatory');
    const problem = recordingRangeProblem(input);
    if (problem) throw new UnprocessableError(problem);
    const session = this.deps.registry.get(input.session, caller);
    if (session.mediaMode !== 'ROUTED') throw new ConflictError('The session is not ROUTED');
    if (session.recordingId !== undefined) throw new ConflictError('The session is already being recorded');
    if (activeConnections(session).length === 0) throw new NotAcceptableError('The session has no connected participants');
    // openvidu-java-client sends name "" to mean "the session's default name".
    const properties = recordingProperties({ ...input, name: input.name || undefined }, session.defaultRecordingProperties);
    if (properties.outputMode !== 'INDIVIDUAL' && properties.hasVideo && properties.recordingLayout === 'CUSTOM') throw new NotImplementedError(CUSTOM_LAYOUT_UNSUPPORTED);
    return this.begin(session, properties);
  }

  private async begin(session: Session, properties: RecordingProperties): Promise<RecordingInfo> {
    const { store } = this.deps;
    const id = await store.nextId(session.id);
    session.recordingId = id;
    const info: RecordingInfo = {
      id,
      sessionId: session.id,
      owner: session.owner,
      ...(session.publishToLibrary ? { publishToLibrary: session.publishToLibrary } : {}),
      uniqueSessionId: `${session.id}_${session.createdAt}`,
      createdAt: Date.now(),
      properties: { ...properties, name: properties.name || id },
      status: 'starting',
      size: 0,
      duration: 0,
      url: null,
    };
    const recording: ActiveRecording = { info, session, tracks: new Map(), done: [], ending: new Set(), fileCount: new Map() };
    this.active.set(id, recording);
    await store.save(info);
    await mkdir(info.properties.outputMode === 'INDIVIDUAL' ? store.dir(id) : path.join(store.dir(id), '.tracks'), { recursive: true });
    try {
      const streams = activeConnections(session).flatMap((connection) => [...connection.publishers.values()].map((stream) => ({ connection, stream })));
      await Promise.all(streams.map(({ connection, stream }) => this.addTrack(recording, connection, stream)));
    } catch (error) {
      await Promise.all([...recording.tracks.values()].map((t) => t.recorder.stop().catch(() => undefined)));
      this.active.delete(id);
      session.recordingId = undefined;
      Object.assign(info, { status: 'failed', error: (error as Error).message });
      await store.save(info);
      this.deps.sink('recordingStatusChanged', { event: 'recordingStatusChanged', ...recordingEvent(info) });
      throw new InternalError(`The recording could not start: ${(error as Error).message}`);
    }
    info.status = 'started';
    await store.save(info);
    this.deps.sink('recordingStatusChanged', { event: 'recordingStatusChanged', ...recordingEvent(info) });
    this.notify(session, 'recordingStarted', { id, name: info.properties.name });
    this.armAutostop(session);
    return info;
  }

  private kinds(properties: RecordingProperties, stream: PublishedStream): MediaKind[] {
    const kinds: MediaKind[] = [];
    if (properties.hasAudio && stream.hasAudio) kinds.push('audio');
    if (properties.hasVideo && stream.hasVideo) kinds.push('video');
    return kinds;
  }

  private async addTrack(recording: ActiveRecording, connection: Connection, stream: PublishedStream): Promise<void> {
    const { info } = recording;
    if (info.properties.outputMode === 'INDIVIDUAL' && !connection.record) return;
    const endpoint = this.deps.endpoints.publishers.get(stream.streamId);
    const kinds = this.kinds(info.properties, stream);
    if (!endpoint || kinds.length === 0) return;
    const count = recording.fileCount.get(stream.streamId) ?? 0;
    recording.fileCount.set(stream.streamId, count + 1);
    const base = count === 0 ? stream.streamId : `${stream.streamId}-${count}`;
    const dir = info.properties.outputMode === 'INDIVIDUAL' ? this.deps.store.dir(info.id) : path.join(this.deps.store.dir(info.id), '.tracks');
    const recorder = new StreamRecorder(this.deps.ffmpeg, endpoint, kinds, path.join(dir, base));
    const track: TrackInProgress = { recorder, connection, stream, startTimeOffset: Date.now() - info.createdAt };
    recording.tracks.set(stream.streamId, track);
    await recorder.start();
    track.startTimeOffset = recorder.startedAt - info.createdAt;
  }

  private endTrack(recording: ActiveRecording, streamId: string): Promise<void> {
    const track = recording.tracks.get(streamId);
    if (!track) return Promise.resolve();
    recording.tracks.delete(streamId);
    const ending = this.finishTrack(recording, streamId, track).finally(() => recording.ending.delete(ending));
    recording.ending.add(ending);
    return ending;
  }

  private async finishTrack(recording: ActiveRecording, streamId: string, track: TrackInProgress): Promise<void> {
    await track.recorder.stop().catch((error: unknown) => this.deps.logger.warn('a stream recorder stopped badly', { streamId, error }));
    const kinds = this.kinds(recording.info.properties, track.stream);
    recording.done.push({
      name: path.basename(track.recorder.file),
      connectionId: track.connection.id,
      streamId,
      clientData: track.connection.clientData ?? '',
      serverData: track.connection.serverData,
      hasAudio: kinds.includes('audio'),
      hasVideo: kinds.includes('video'),
      ...(kinds.includes('video') ? { typeOfVideo: track.stream.typeOfVideo } : {}),
      ...(recording.info.properties.outputMode === 'INDIVIDUAL' ? {} : { publishedAt: track.stream.createdAt }),
      startTimeOffset: track.startTimeOffset,
      endTimeOffset: track.recorder.endedAt - recording.info.createdAt,
    });
  }

  async stop(id: string, caller: Caller, reason: EndReason = 'recordingStoppedByServer'): Promise<RecordingInfo> {
    this.assertEnabled();
    const recording = this.active.get(id);
    if (!recording || !mayAccess(caller, recording.info.owner)) throw new NotFoundError(`No recording ${id} in progress`);
    if (recording.info.status === 'starting') throw new NotAcceptableError('The recording is starting: wait until it has started');
    this.active.delete(id);
    const { info, session } = recording;
    this.clearAutostop(session.id);
    session.recordingId = undefined;
    if (reason === 'recordingStoppedByServer') session.manuallyStopped = true;
    // Closing a session unpublishes its streams first: their tracks are already ending.
    await Promise.all([...recording.tracks.keys()].map((streamId) => this.endTrack(recording, streamId)));
    await Promise.all([...recording.ending]);
    await writeManifest(this.deps.store.dir(id), recording.done);
    await this.deps.store.handOver(id);
    Object.assign(info, { status: 'stopped', reason, size: 0, duration: 0 });
    await this.deps.store.save(info);
    this.deps.sink('recordingStatusChanged', { event: 'recordingStatusChanged', ...recordingEvent(info) });
    this.notify(session, 'recordingStopped', { id, name: info.properties.name, reason });
    await this.deps.finalize.enqueue({ id });
    if (this.deps.registry.find(session.id) && activeConnections(session).length === 0) this.deps.registry.close(session, 'lastParticipantLeft');
    return info;
  }

  /** Another application's recording answers exactly like an unknown one. */
  async get(id: string, caller: Caller): Promise<RecordingInfo> {
    this.assertEnabled();
    const info = this.active.get(id)?.info ?? (await this.deps.store.get(id));
    if (!info || !mayAccess(caller, info.owner)) throw new NotFoundError(`No recording ${id}`);
    return info;
  }

  async list(caller: Caller): Promise<RecordingInfo[]> {
    this.assertEnabled();
    const stored = await this.deps.store.list();
    return stored.filter((info) => mayAccess(caller, info.owner)).map((info) => this.active.get(info.id)?.info ?? info);
  }

  async remove(id: string, caller: Caller): Promise<void> {
    await this.get(id, caller);
    if (this.active.has(id)) throw new ConflictError('The recording is in progress: stop it first');
    await this.deps.store.remove(id);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((id) => this.stop(id, OPERATOR, 'openviduServerStopped').catch(() => undefined)));
  }

  private async onPublished(session: Session, connection: Connection, stream: PublishedStream): Promise<void> {
    this.clearAutostop(session.id);
    try {
      if (session.recordingId) {
        const recording = this.active.get(session.recordingId);
        if (recording && recording.info.status === 'started') await this.addTrack(recording, connection, stream);
        return;
      }
      if (session.recordingMode === 'ALWAYS' && !session.manuallyStopped && this.deps.settings.current.recording.enabled) {
        await this.begin(session, session.defaultRecordingProperties);
      }
    } catch (error) {
      this.deps.logger.error('could not record a published stream', { sessionId: session.id, streamId: stream.streamId, error });
    }
  }

  private async onUnpublished(session: Session, stream: PublishedStream): Promise<void> {
    const recording = session.recordingId ? this.active.get(session.recordingId) : undefined;
    if (recording) await this.endTrack(recording, stream.streamId);
    this.armAutostop(session);
  }

  /** While recording with nobody publishing (or nobody left), the recording stops after the autostop timeout. */
  private armAutostop(session: Session): void {
    if (!session.recordingId || this.autostop.has(session.id)) return;
    const publishing = activeConnections(session).some((c) => c.publishers.size > 0);
    if (publishing) return;
    const seconds = this.deps.settings.current.recording.autostopTimeout;
    const recordingId = session.recordingId;
    const timer = setTimeout(() => {
      this.autostop.delete(session.id);
      void this.stop(recordingId, OPERATOR, seconds === 0 ? 'lastParticipantLeft' : 'automaticStop').catch((error: unknown) => this.deps.logger.warn('autostop failed', { recordingId, error }));
    }, seconds * 1000);
    timer.unref();
    this.autostop.set(session.id, timer);
  }

  private clearAutostop(sessionId: string): void {
    clearTimeout(this.autostop.get(sessionId));
    this.autostop.delete(sessionId);
  }

  /** recordingStarted/Stopped go to the roles the notification setting names. */
  private notify(session: Session, method: string, params: Record<string, unknown>): void {
    const setting = this.deps.settings.current.recording.notification;
    const roles = setting === 'all' ? ['SUBSCRIBER', 'PUBLISHER', 'MODERATOR'] : setting === 'publisher_moderator' ? ['PUBLISHER', 'MODERATOR'] : setting === 'moderator' ? ['MODERATOR'] : [];
    for (const connection of activeConnections(session)) if (roles.includes(connection.role)) connection.link?.notify(method, params);
  }
}
