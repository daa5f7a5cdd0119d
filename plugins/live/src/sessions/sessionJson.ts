import { recordingPropertiesJson } from '../openvidu/bodies.js';
import { connectionJson, isActive, type Session } from './model.js';
import type { SessionJson } from '../openvidu/responses.js';

/** The Session object of the REST API; pending connections only when asked (?pendingConnections=true). */
export function sessionJson(session: Session, { pendingConnections = false } = {}): SessionJson {
  const connections = [...session.connections.values()].filter((c) => pendingConnections || isActive(c)).map(connectionJson);
  return {
    id: session.id,
    sessionId: session.id,
    object: 'session',
    createdAt: session.createdAt,
    mediaMode: session.mediaMode,
    recordingMode: session.recordingMode,
    defaultRecordingProperties: recordingPropertiesJson(session.defaultRecordingProperties),
    customSessionId: session.customSessionId,
    connections: { numberOfElements: connections.length, content: connections },
    recording: session.recordingId !== undefined,
    broadcasting: session.broadcasting === true,
    forcedVideoCodec: session.forcedVideoCodec,
    allowTranscoding: session.allowTranscoding,
    ...(session.mediaNodeId ? { mediaNodeId: session.mediaNodeId } : {}),
  };
}
