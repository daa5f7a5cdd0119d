import type { PublishToLibrary } from '../config.js';
import type { IceServer, KurentoOptions, RecordingProperties, Role } from '../openvidu/bodies.js';
import type { ConnectionJson } from '../openvidu/responses.js';

/** How the signalling side reaches a joined participant. */
export interface ParticipantLink {
  notify(method: string, params: Record<string, unknown>): void;
  /** Closes the participant's socket after its eviction. */
  close(): void;
}

export interface PublishedStream {
  streamId: string;
  createdAt: number;
  hasAudio: boolean;
  hasVideo: boolean;
  audioActive: boolean;
  videoActive: boolean;
  typeOfVideo: string;
  frameRate: number;
  videoDimensions: string;
  filter: Record<string, unknown>;
}

export interface Connection {
  id: string;
  sessionId: string;
  type: 'WEBRTC' | 'IPCAM';
  status: 'pending' | 'active';
  createdAt: number;
  activeAt?: number;
  token?: string;
  role: Role;
  record: boolean;
  serverData: string;
  clientData?: string;
  ip?: string;
  platform?: string;
  kurentoOptions: KurentoOptions;
  customIceServers: IceServer[];
  rtspUri?: string;
  adaptativeBitrate?: boolean;
  onlyPlayWithSubscribers?: boolean;
  networkCache?: number;
  publishers: Map<string, PublishedStream>;
  /** streamId → when the subscription started. */
  subscribers: Map<string, number>;
  link?: ParticipantLink;
}

export interface Session {
  id: string;
  /** Who created it (see openvidu/caller.ts): only its owner and the operator reach it through the API. */
  owner: string;
  createdAt: number;
  customSessionId: string;
  mediaMode: 'ROUTED' | 'RELAYED';
  recordingMode: 'ALWAYS' | 'MANUAL';
  forcedVideoCodec: string;
  allowTranscoding: boolean;
  defaultRecordingProperties: RecordingProperties;
  connections: Map<string, Connection>;
  /** POST /sessions' mediaNode.id: where its media must go. */
  requestedMediaNode?: string;
  /** The media node hosting it, once its first participant joined (OpenVidu Pro's mediaNodeId). */
  mediaNodeId?: string;
  /** Id of the recording in progress. */
  recordingId?: string;
  /** A broadcast (RTMP) of the session is running. */
  broadcasting?: boolean;
  /** A recording was stopped by hand: ALWAYS mode does not start another. */
  manuallyStopped?: boolean;
  /** Which of its recordings go to the owner's publish library, when the session said (else liveConf.json's). */
  publishToLibrary?: PublishToLibrary;
  /** Last time a participant was in the session, for the garbage collector. */
  lastActiveAt: number;
}

export const isActive = (connection: Connection) => connection.status === 'active';
export const activeConnections = (session: Session) => [...session.connections.values()].filter(isActive);

export function streamJson(stream: PublishedStream): ConnectionJson['publishers'][number] {
  return {
    streamId: stream.streamId,
    createdAt: stream.createdAt,
    mediaOptions: {
      hasAudio: stream.hasAudio,
      audioActive: stream.audioActive,
      hasVideo: stream.hasVideo,
      videoActive: stream.videoActive,
      typeOfVideo: stream.typeOfVideo,
      frameRate: stream.frameRate,
      videoDimensions: stream.videoDimensions,
      filter: stream.filter,
    },
  };
}

export function connectionJson(c: Connection): ConnectionJson {
  const webrtc = c.type === 'WEBRTC';
  return {
    id: c.id,
    connectionId: c.id,
    object: 'connection',
    type: c.type,
    status: c.status,
    sessionId: c.sessionId,
    createdAt: c.createdAt,
    activeAt: c.activeAt ?? null,
    location: null,
    ip: c.ip ?? null,
    platform: c.platform ?? null,
    token: c.token ?? null,
    serverData: c.serverData,
    clientData: c.clientData ?? null,
    record: c.record,
    role: webrtc ? c.role : null,
    kurentoOptions: webrtc ? c.kurentoOptions : null,
    rtspUri: c.rtspUri ?? null,
    adaptativeBitrate: c.adaptativeBitrate ?? null,
    onlyPlayWithSubscribers: c.onlyPlayWithSubscribers ?? null,
    networkCache: c.networkCache ?? null,
    publishers: [...c.publishers.values()].map(streamJson),
    subscribers: [...c.subscribers.entries()].map(([streamId, createdAt]) => ({ streamId, createdAt })),
    customIceServers: webrtc ? c.customIceServers : [],
  };
}
