import { redactUrl, type Logger } from '@mediahost/core';
import { DEFAULT_RECONNECT, RtpIngestPublisher, type CameraEvents, type ReconnectPolicy } from './rtpIngest.js';
import type { ConnectionBody } from '../openvidu/bodies.js';
import { InternalError } from '../openvidu/httpErrors.js';
import type { LiveFfmpeg } from '../recording/ffmpeg.js';
import type { MediaEndpoints } from '../signalling/mediaEndpoints.js';
import { checkedCameraUri } from './cameraAddress.js';
import type { Connection, Session } from '../sessions/model.js';
import type { SessionRegistry } from '../sessions/sessionRegistry.js';

/** One answer whatever went wrong, so the API cannot tell open ports from closed ones or allowed hosts from refused ones. */
export const CAMERA_UNREADABLE = 'The IP camera could not be read';

/**
 * IPCAM connections: the camera is pulled at once and its connection is active from the start, publishing one
 * stream every participant is told about; a camera that cannot be read, or that is on a network the operator did not
 * allow (serverConf outbound.allowedNetworks), is a 500, as OpenVidu answers.
 */
export class IpcamConnections {
  constructor(
    private readonly registry: SessionRegistry,
    private readonly endpoints: MediaEndpoints,
    private readonly ffmpeg: LiveFfmpeg,
    private readonly logger: Logger,
    private readonly allowedNetworks: string[],
    private readonly reconnect: ReconnectPolicy = DEFAULT_RECONNECT,
  ) {}

  /** A camera that drops is logged with its cause at each try; once it is lost its connection leaves the session. */
  private cameraEvents(session: Session, connection: Connection): CameraEvents {
    const context = () => ({ sessionId: session.id, connectionId: connection.id, camera: redactUrl(connection.rtspUri!) });
    return {
      reconnecting: ({ attempt, delayMs, cause }) =>
        this.logger.warn('IP camera dropped, reconnecting', { ...context(), attempt, delayMs, cause: withoutCredentials(cause) }),
      restored: ({ attempts }) => this.logger.info('IP camera reconnected', { ...context(), attempts }),
      lost: ({ attempts, cause }) => {
        this.logger.warn('IP camera lost, its connection is closed', { ...context(), attempts, cause: withoutCredentials(cause) });
        if (this.registry.find(session.id) && session.connections.get(connection.id) === connection) {
          this.registry.removeConnection(session, connection, 'networkDisconnect');
        }
      },
    };
  }

  async create(session: Session, body: ConnectionBody): Promise<Connection> {
    const connection = this.registry.createConnection(session, body);
    let ingest: RtpIngestPublisher;
    try {
      const uri = await checkedCameraUri(connection.rtspUri!, this.allowedNetworks);
      ingest = await RtpIngestPublisher.open(
        this.ffmpeg,
        uri,
        { videoKbps: connection.kurentoOptions.videoMaxSendBandwidth || 1000, networkCacheMs: connection.networkCache ?? 2000 },
        this.reconnect,
        this.cameraEvents(session, connection),
      );
    } catch (error) {
      session.connections.delete(connection.id);
      const reason = withoutCredentials((error as Error).message.split('\n')[0]!);
      const camera = redactUrl(connection.rtspUri!);
      this.logger.warn('IP camera could not be read', { sessionId: session.id, camera, reason });
      // The cause goes with the 500 into the request's log entry; the client still gets the single answer.
      throw new InternalError(CAMERA_UNREADABLE, { cause: new Error(`${camera}: ${reason}`) });
    }
    if (!this.registry.find(session.id)) {
      await ingest.close();
      throw new InternalError('The session closed while the IP camera was connecting');
    }
    this.registry.activate(session, connection, undefined, { clientData: '', platform: 'IPCAM', ip: new URL(connection.rtspUri!).hostname });
    this.registry.broadcast(session, 'participantJoined', { id: connection.id, createdAt: connection.activeAt, metadata: `%/%${connection.serverData}` }, connection.id);
    const stream = this.registry.publish(session, connection, {
      hasAudio: ingest.hasAudio,
      hasVideo: true,
      audioActive: ingest.hasAudio,
      videoActive: true,
      typeOfVideo: 'IPCAM',
      frameRate: 25,
      videoDimensions: '{}',
      filter: {},
    });
    this.endpoints.addPublisher(connection.id, stream.streamId, ingest);
    this.registry.announce(session, connection, stream);
    return connection;
  }
}

/** A camera URI may carry its credentials (rtsp://user:password@host/…): kept out of the log. */
const withoutCredentials = (text: string) => text.replace(/\/\/[^/@\s]*@/g, '//***@');
