import type { Connection, PublishedStream, Session } from '../sessions/model.js';
import type { EndReason, SessionRegistry } from '../sessions/sessionRegistry.js';

export type EventSink = (event: string, body: Record<string, unknown>) => void;

const base = (session: Session) => ({ sessionId: session.id, uniqueSessionId: `${session.id}_${session.createdAt}`, timestamp: Date.now() });
const ending = (startTime: number, reason: string) => ({ startTime, duration: Math.round((Date.now() - startTime) / 1000), reason });

function participant(connection: Connection) {
  return {
    participantId: connection.id,
    connectionId: connection.id,
    location: '',
    ip: connection.ip ?? '',
    platform: connection.platform ?? '',
    clientData: connection.clientData ?? '',
    serverData: connection.serverData,
  };
}

function media(stream: PublishedStream) {
  return {
    videoSource: stream.hasVideo ? stream.typeOfVideo : undefined,
    videoFramerate: stream.hasVideo ? stream.frameRate : undefined,
    videoDimensions: stream.hasVideo ? stream.videoDimensions : undefined,
    audioEnabled: stream.hasAudio,
    videoEnabled: stream.hasVideo,
  };
}

/** Turns the registry's events into OpenVidu's webhook/CDR events (body fields + "event"). */
export function openviduEvents(registry: SessionRegistry, sink: EventSink): void {
  const send = (event: string, body: Record<string, unknown>) => sink(event, { event, ...body });
  registry.on('sessionCreated', (session: Session) => send('sessionCreated', base(session)));
  registry.on('sessionDestroyed', (session: Session, reason: EndReason) => send('sessionDestroyed', { ...base(session), ...ending(session.createdAt, reason) }));
  registry.on('participantJoined', (session: Session, connection: Connection) => send('participantJoined', { ...base(session), ...participant(connection) }));
  registry.on('participantLeft', (session: Session, connection: Connection, reason: EndReason) =>
    send('participantLeft', { ...base(session), ...participant(connection), ...ending(connection.activeAt ?? connection.createdAt, reason) }),
  );
  registry.on('streamPublished', (session: Session, connection: Connection, stream: PublishedStream) =>
    send('webrtcConnectionCreated', { ...base(session), streamId: stream.streamId, participantId: connection.id, connectionId: connection.id, connection: 'OUTBOUND', ...media(stream) }),
  );
  registry.on('streamUnpublished', (session: Session, connection: Connection, stream: PublishedStream, reason: EndReason) =>
    send('webrtcConnectionDestroyed', {
      ...base(session),
      streamId: stream.streamId,
      participantId: connection.id,
      connectionId: connection.id,
      connection: 'OUTBOUND',
      ...media(stream),
      ...ending(stream.createdAt, reason),
    }),
  );
  const inbound = (session: Session, connection: Connection, streamId: string) => {
    const found = registry.findStream(session, streamId);
    return {
      ...base(session),
      streamId,
      participantId: connection.id,
      connectionId: connection.id,
      connection: 'INBOUND',
      receivingFrom: found?.owner.id ?? streamId.replace(/^str_[A-Z]{3}_[a-zA-Z0-9]{4}_/, ''),
      ...(found ? media(found.stream) : {}),
    };
  };
  registry.on('subscribed', (session: Session, connection: Connection, streamId: string) => send('webrtcConnectionCreated', inbound(session, connection, streamId)));
  registry.on('unsubscribed', (session: Session, connection: Connection, streamId: string, reason: EndReason) =>
    send('webrtcConnectionDestroyed', { ...inbound(session, connection, streamId), ...ending(connection.subscribers.get(streamId) ?? Date.now(), reason) }),
  );
  registry.on('signalSent', (session: Session, signal: Record<string, unknown>) => send('signalSent', { ...base(session), ...signal }));
}
