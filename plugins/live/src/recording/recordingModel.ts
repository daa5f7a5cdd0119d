import type { PublishToLibrary } from '../config.js';
import type { RecordingProperties } from '../openvidu/bodies.js';
import type { RecordingJson } from '../openvidu/responses.js';
import type { RecordedTrack } from './trackManifest.js';

/** A recorded stream as the recording keeps it for the library: its track's facts, and its file in the zip (INDIVIDUAL). */
export type RecordedParticipant = Pick<RecordedTrack, 'connectionId' | 'streamId' | 'clientData' | 'serverData' | 'hasAudio' | 'hasVideo' | 'startTimeOffset' | 'endTimeOffset'> & {
  file?: string;
};

export type RecordingStatus = 'starting' | 'started' | 'stopped' | 'ready' | 'failed';

/** What the metadata file .recording.<id> holds: the Recording object of the API plus the stop reason. */
export interface RecordingInfo {
  id: string;
  sessionId: string;
  /** Its session's owner (see openvidu/caller.ts); absent on recordings made before ownership was kept: the operator's. */
  owner?: string;
  /** The session's uniqueSessionId, for the webhooks sent after the session is gone. */
  uniqueSessionId: string;
  createdAt: number;
  properties: RecordingProperties;
  status: RecordingStatus;
  size: number;
  duration: number;
  url: string | null;
  reason?: string;
  /** Its session's choice of what goes to the publish library; absent: liveConf.json's. */
  publishToLibrary?: PublishToLibrary;
  /** Who was recorded, from the tracks, kept once it is final (INDIVIDUAL: one video per stream in the library). */
  participants?: RecordedParticipant[];
  /** The file of the finished recording, below its folder. */
  fileName?: string;
  error?: string;
}

export function recordingJson(r: RecordingInfo): RecordingJson {
  const p = r.properties;
  const composedVideo = p.outputMode !== 'INDIVIDUAL' && p.hasVideo;
  return {
    id: r.id,
    object: 'recording',
    name: p.name,
    outputMode: p.outputMode,
    hasAudio: p.hasAudio,
    hasVideo: p.hasVideo,
    ...(composedVideo ? { resolution: p.resolution, frameRate: p.frameRate, recordingLayout: p.recordingLayout } : {}),
    ...(composedVideo && p.recordingLayout === 'CUSTOM' ? { customLayout: p.customLayout } : {}),
    ...(p.outputMode === 'INDIVIDUAL' ? { ignoreFailedStreams: p.ignoreFailedStreams } : {}),
    sessionId: r.sessionId,
    createdAt: r.createdAt,
    size: r.size,
    duration: r.duration,
    url: r.url,
    status: r.status,
  };
}

/** The recordingStatusChanged webhook body (without the event name). */
export function recordingEvent(r: RecordingInfo): Record<string, unknown> {
  const p = r.properties;
  const composedVideo = p.outputMode !== 'INDIVIDUAL' && p.hasVideo;
  return {
    sessionId: r.sessionId,
    uniqueSessionId: r.uniqueSessionId,
    timestamp: Date.now(),
    startTime: r.createdAt,
    id: r.id,
    name: p.name,
    outputMode: p.outputMode,
    ...(composedVideo ? { resolution: p.resolution, frameRate: p.frameRate, recordingLayout: p.recordingLayout } : {}),
    hasAudio: p.hasAudio,
    hasVideo: p.hasVideo,
    size: r.size,
    duration: r.duration,
    status: r.status,
    ...(r.status === 'started' ? {} : { reason: r.reason ?? null }),
  };
}
