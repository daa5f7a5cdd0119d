import { EventEmitter } from 'node:events';
import { BadRequestError, ConflictError, NotFoundError } from '@mediahost/core';
import {
  recordingProperties,
  recordingRangeProblem,
  type ConnectionBody,
  type Role,
} from '../openvidu/bodies.js';
import { newConnectionId, newSessionId, newStreamId, newToken } from '../openvidu/ids.js';
import { mayAccess, type Caller } from '../openvidu/caller.js';
import { MethodNotAllowedError, NotAcceptableError } from '../openvidu/httpErrors.js';
import type { LiveSettings } from '../settings/liveSettings.js';
import { activeConnections, type Connection, type ParticipantLink, type PublishedStream, type Session } from './model.js';
import type { z } from '@mediahost/core';
import type { sessionBodySchema } from '../openvidu/bodies.js';

/** What tears the media down when the control plane drops a stream or a subscription. */
export interface MediaRelease {
  releasePublisher(session: Session, connection: Connection, streamId: string): void;
  releaseSubscriber(session: Session, connection: Connection, streamId: string): void;
}

/** OpenVidu's end reasons. */
export type EndReason =
  | 'disconnect'
  | 'forceDisconnectByServer'
  | 'forceDisconnectByUser'
  | 'networkDisconnect'
  | 'sessionClosedByServer'
  | 'lastParticipantLeft'
  | 'unpublish'
  | 'unsubscribe'
  | 'forceUnpublishByUser'
  | 'forceUnpublishByServer'
  | 'automaticStop'
  | 'recordingStoppedByServer'
  | 'openviduServerStopped'
  /** OpenVidu Pro: the media node hosting the session died. */
  | 'nodeCrashed';

const FORCED = new Set<EndReason>(['forceDisconnectByServer', 'forceDisconnectByUser', 'sessionClosedByServer', 'nodeCrashed']);
/** A session closing for these takes its connections with it for the same reason; for others, as closed by the server. */
const CLOSING_REASONS = new Set<EndReason>(['nodeCrashed']);

/** What the registry tells the webhooks and the recorder, with each listener's arguments. */
export interface RegistryEvents {
  sessionCreated: [session: Session];
  sessionDestroyed: [session: Session, reason: EndReason];
  participantJoined: [session: Session, connection: Connection];
  participantLeft: [session: Session, connection: Connection, reason: EndReason];
  streamPublished: [session: Session, connection: Connection, stream: PublishedStream];
  streamUnpublished: [session: Session, connection: Connection, stream: PublishedStream, reason: EndReason];
  subscribed: [session: Session, connection: Connection, streamId: string];
  unsubscribed: [session: Session, connection: Connection, streamId: string, reason: EndReason];
  signalSent: [session: Session, signal: Record<string, unknown>];
}

export interface RegistryDeps {
  settings: LiveSettings;
  /** Tears the media down when the control plane drops a stream or a subscription. */
  media: MediaRelease;
  /** Asked before a session closes on its own: true keeps it (a recording still running). */
  keepOpen(session: Session): boolean;
  /** The media node a session is allocated to when its first participant joins (media/nodePlacement.ts). */
  place(session: Session): string | undefined;
}

/** The sessions and their connections, in the web-service process's memory as OpenVidu keeps them. */
export class SessionRegistry extends EventEmitter<RegistryEvents> {
  private readonly sessions = new Map<string, Session>();
  private readonly settings: LiveSettings;
  private readonly media: MediaRelease;
  private readonly keepOpen: (session: Session) => boolean;
  private readonly place: (session: Session) => string | undefined;

  constructor({ settings, media, keepOpen, place }: RegistryDeps) {
    super();
    this.settings = settings;
    this.media = media;
    this.keepOpen = keepOpen;
    this.place = place;
  }

  /** mediaNode: the node the caller asked for (checked by the caller), given as OpenVidu takes it. */
  create(body: z.infer<typeof sessionBodySchema>, owner: string): Session {
    const defaults = body.defaultRecordingProperties ?? {};
    const problem = recordingRangeProblem(defaults);
    if (problem) throw new BadRequestError(`defaultRecordingProperties: ${problem}`);
    const id = body.customSessionId || newSessionId();
    if (this.sessions.has(id)) throw new ConflictError(`Session ${id} already exists`);
    const now = Date.now();
    const session: Session = {
      id,
      owner,
      createdAt: now,
      customSessionId: body.customSessionId ?? '',
      mediaMode: body.mediaMode ?? 'ROUTED',
      recordingMode: body.recordingMode ?? 'MANUAL',
      forcedVideoCodec: body.forcedVideoCodec && !body.forcedVideoCodec.startsWith('MEDIA_SERVER_PREFERRED') ? body.forcedVideoCodec : 'VP8',
      allowTranscoding: body.allowTranscoding ?? false,
      defaultRecordingProperties: recordingProperties(defaults),
      connections: new Map(),
      lastActiveAt: now,
      requestedMediaNode: typeof body.mediaNode === 'string' ? body.mediaNode : body.mediaNode?.id,
      ...(body.publishToLibrary ? { publishToLibrary: body.publishToLibrary } : {}),
    };
    this.sessions.set(id, session);
    this.emit('sessionCreated', session);
    return session;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  /** The sessions the caller may see through the API. */
  visibleTo(caller: Caller): Session[] {
    return this.list().filter((session) => mayAccess(caller, session.owner));
  }

  find(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Another application's session answers exactly like an unknown one. */
  private findFor(id: string, caller: Caller): Session | undefined {
    const session = this.sessions.get(id);
    return session && mayAccess(caller, session.owner) ? session : undefined;
  }

  get(id: string, caller: Caller): Session {
    const session = this.findFor(id, caller);
    if (!session) throw new NotFoundError(`No session ${id}`);
    return session;
  }

  /** Connection routes answer 400 for an unknown session, as OpenVidu does. */
  getForConnection(id: string, caller: Caller): Session {
    const session = this.findFor(id, caller);
    if (!session) throw new BadRequestError(`No session ${id}`);
    return session;
  }

  getConnection(session: Session, connectionId: string): Connection {
    const connection = session.connections.get(connectionId);
    if (!connection) throw new NotFoundError(`No connection ${connectionId} in session ${session.id}`);
    return connection;
  }

  createConnection(session: Session, body: ConnectionBody): Connection {
    const type = body.type ?? 'WEBRTC';
    const streams = this.settings.current.streams;
    const connection: Connection = {
      id: newConnectionId(),
      sessionId: session.id,
      type,
      status: 'pending',
      createdAt: Date.now(),
      role: body.role ?? 'PUBLISHER',
      record: body.record ?? true,
      serverData: body.data ?? '',
      kurentoOptions: {
        videoMaxRecvBandwidth: body.kurentoOptions?.videoMaxRecvBandwidth ?? streams.videoMaxRecvBandwidth,
        videoMinRecvBandwidth: body.kurentoOptions?.videoMinRecvBandwidth ?? streams.videoMinRecvBandwidth,
        videoMaxSendBandwidth: body.kurentoOptions?.videoMaxSendBandwidth ?? streams.videoMaxSendBandwidth,
        videoMinSendBandwidth: body.kurentoOptions?.videoMinSendBandwidth ?? streams.videoMinSendBandwidth,
        allowedFilters: body.kurentoOptions?.allowedFilters ?? [],
      },
      customIceServers: body.customIceServers ?? [],
      publishers: new Map(),
      subscribers: new Map(),
    };
    if (type === 'WEBRTC') {
      connection.token = `${this.settings.publicUrl.replace(/^http/, 'ws')}?sessionId=${encodeURIComponent(session.id)}&token=${newToken()}`;
    } else {
      if (!body.rtspUri) throw new BadRequestError('rtspUri is mandatory for an IPCAM connection');
      let uri: URL;
      try {
        uri = new URL(body.rtspUri);
      } catch {
        throw new BadRequestError(`rtspUri ${body.rtspUri} is not a valid URI`);
      }
      if (!['rtsp:', 'rtsps:', 'http:', 'https:'].includes(uri.protocol)) throw new BadRequestError('rtspUri must be an rtsp, rtsps, http or https URI');
      Object.assign(connection, {
        rtspUri: body.rtspUri,
        adaptativeBitrate: body.adaptativeBitrate ?? true,
        onlyPlayWithSubscribers: body.onlyPlayWithSubscribers ?? true,
        networkCache: body.networkCache ?? 2000,
        platform: 'IPCAM',
        clientData: '',
      });
    }
    session.connections.set(connection.id, connection);
    return connection;
  }

  /** The pending connection a token opens, byte for byte. */
  pendingByToken(session: Session, token: string): Connection | undefined {
    return [...session.connections.values()].find((c) => c.status === 'pending' && c.token === token);
  }

  activate(session: Session, connection: Connection, link: ParticipantLink | undefined, details: { clientData: string; platform: string; ip: string }): void {
    Object.assign(connection, { status: 'active', activeAt: Date.now(), link, ...details });
    session.lastActiveAt = Date.now();
    session.mediaNodeId ??= this.place(session);
    this.emit('participantJoined', session, connection);
  }

  /** A connection that joined with the server secret, without a token. */
  adoptConnection(session: Session, role: Role): Connection {
    return this.createConnection(session, { role, type: 'WEBRTC' });
  }

  update(connection: Connection, changes: { role?: Role; record?: boolean }): void {
    for (const [property, value] of Object.entries(changes) as [keyof typeof changes, Role | boolean | undefined][]) {
      if (value === undefined || connection[property] === value) continue;
      (connection as unknown as Record<string, unknown>)[property] = value;
      connection.link?.notify('connectionPropertyChanged', { property, newValue: String(value) });
    }
  }

  publish(session: Session, connection: Connection, stream: Omit<PublishedStream, 'streamId' | 'createdAt'>): PublishedStream {
    const published: PublishedStream = { ...stream, streamId: newStreamId(connection.id, stream.typeOfVideo, stream.hasVideo), createdAt: Date.now() };
    connection.publishers.set(published.streamId, published);
    return published;
  }

  /** Announces a stream once its media is negotiated. */
  announce(session: Session, connection: Connection, stream: PublishedStream): void {
    this.broadcast(session, 'participantPublished', { id: connection.id, streams: [participantStreamJson(stream)] }, connection.id);
    this.emit('streamPublished', session, connection, stream);
  }

  findStream(session: Session, streamId: string): { owner: Connection; stream: PublishedStream } | undefined {
    for (const owner of session.connections.values()) {
      const stream = owner.publishers.get(streamId);
      if (stream) return { owner, stream };
    }
    return undefined;
  }

  unpublish(session: Session, owner: Connection, streamId: string, reason: EndReason): void {
    const stream = owner.publishers.get(streamId);
    if (!stream) return;
    for (const other of session.connections.values()) {
      if (other.subscribers.has(streamId)) this.unsubscribe(session, other, streamId, reason);
    }
    owner.publishers.delete(streamId);
    this.media.releasePublisher(session, owner, streamId);
    const params = { connectionId: owner.id, reason };
    this.broadcast(session, 'participantUnpublished', params, reason === 'unpublish' || reason === 'disconnect' || reason === 'networkDisconnect' ? owner.id : undefined);
    this.emit('streamUnpublished', session, owner, stream, reason);
  }

  /** DELETE /sessions/:id/stream/:streamId. */
  forceUnpublish(session: Session, streamId: string, reason: EndReason): void {
    const found = this.findStream(session, streamId);
    if (!found) throw new NotFoundError(`No stream ${streamId} in session ${session.id}`);
    if (found.owner.type === 'IPCAM') throw new MethodNotAllowedError('The stream of an IPCAM connection is removed by deleting its connection');
    this.unpublish(session, found.owner, streamId, reason);
  }

  subscribe(session: Session, connection: Connection, streamId: string): void {
    connection.subscribers.set(streamId, Date.now());
    this.emit('subscribed', session, connection, streamId);
  }

  unsubscribe(session: Session, connection: Connection, streamId: string, reason: EndReason): void {
    if (!connection.subscribers.delete(streamId)) return;
    this.media.releaseSubscriber(session, connection, streamId);
    this.emit('unsubscribed', session, connection, streamId, reason);
  }

  /** Removes a connection: a pending one is simply invalidated, an active one is evicted with its streams. */
  removeConnection(session: Session, connection: Connection, reason: EndReason): void {
    if (!session.connections.has(connection.id)) return;
    if (connection.status === 'pending') {
      session.connections.delete(connection.id);
      return;
    }
    for (const streamId of [...connection.subscribers.keys()]) this.unsubscribe(session, connection, streamId, reason);
    for (const streamId of [...connection.publishers.keys()]) this.unpublish(session, connection, streamId, reason);
    session.connections.delete(connection.id);
    this.broadcast(session, 'participantLeft', { connectionId: connection.id, reason }, connection.id);
    if (FORCED.has(reason)) {
      connection.link?.notify('participantEvicted', { connectionId: connection.id, reason });
      this.broadcast(session, 'participantEvicted', { connectionId: connection.id, reason });
    }
    connection.link?.close();
    session.lastActiveAt = Date.now();
    this.emit('participantLeft', session, connection, reason);
    if (reason !== 'sessionClosedByServer' && !CLOSING_REASONS.has(reason) && activeConnections(session).length === 0 && !this.keepOpen(session)) {
      this.close(session, 'lastParticipantLeft');
    }
  }

  close(session: Session, reason: EndReason): void {
    if (!this.sessions.has(session.id)) return;
    const connectionReason = CLOSING_REASONS.has(reason) ? reason : 'sessionClosedByServer';
    for (const connection of [...session.connections.values()]) this.removeConnection(session, connection, connectionReason);
    this.sessions.delete(session.id);
    this.emit('sessionDestroyed', session, reason);
  }

  /** POST /signal and the sendMessage of participants. */
  signal(session: Session, signal: { to?: string[]; type?: string; data?: string; from?: Connection }): void {
    const active = activeConnections(session);
    const to = signal.to?.length ? signal.to : undefined;
    const recipients = to ? to.map((id) => active.find((c) => c.id === id)) : active;
    if (recipients.length === 0 || recipients.some((c) => !c)) throw new NotAcceptableError('No connection exists for the passed "to" array');
    const params: Record<string, unknown> = { data: signal.data ?? '', type: signal.type ? (signal.type.startsWith('signal:') ? signal.type : `signal:${signal.type}`) : 'signal' };
    if (signal.from) params.from = signal.from.id;
    for (const recipient of recipients) recipient!.link?.notify('sendMessage', params);
    this.emit('signalSent', session, { from: signal.from?.id ?? null, to: recipients.map((c) => c!.id), type: params.type, data: params.data });
  }

  broadcast(session: Session, method: string, params: Record<string, unknown>, except?: string): void {
    for (const connection of activeConnections(session)) if (connection.id !== except) connection.link?.notify(method, params);
  }
}

/** A stream as joinRoom and participantPublished carry it. */
export function participantStreamJson(stream: PublishedStream): Record<string, unknown> {
  return {
    id: stream.streamId,
    createdAt: stream.createdAt,
    hasAudio: stream.hasAudio,
    hasVideo: stream.hasVideo,
    audioActive: stream.audioActive,
    videoActive: stream.videoActive,
    typeOfVideo: stream.typeOfVideo,
    frameRate: stream.frameRate,
    videoDimensions: stream.videoDimensions,
    filter: stream.filter,
  };
}
