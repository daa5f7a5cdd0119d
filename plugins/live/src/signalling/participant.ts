import type { MediaEngine, OfferedSubscription, PublisherEndpoint } from '../media/mediaEngine.js';
import { isActive, type Connection, type Session } from '../sessions/model.js';
import { participantStreamJson, type SessionRegistry } from '../sessions/sessionRegistry.js';
import { OPENVIDU_VERSION, type LiveSettings } from '../settings/liveSettings.js';
import type { MediaEndpoints } from './mediaEndpoints.js';
import { RPC, RpcError } from './rpcError.js';
import type { RpcSocket } from './rpcSocket.js';

type Params = Record<string, unknown>;

const str = (value: unknown, fallback = '') => (typeof value === 'string' ? value : fallback);
const bool = (value: unknown, fallback: boolean) => (typeof value === 'boolean' ? value : fallback);

export interface ParticipantDeps {
  registry: SessionRegistry;
  engine: MediaEngine;
  endpoints: MediaEndpoints;
  settings: LiveSettings;
  ip: string;
}

/** One openvidu-browser client: the JSON-RPC methods it calls, on behalf of its connection. */
export class Participant {
  session?: Session;
  connection?: Connection;
  /** Set once the participant left on purpose: its socket closing is then no network failure. */
  left = false;
  /** streamId → a subscription the server offered (prepareReceiveVideoFrom) and the client has yet to answer. */
  private readonly offered = new Map<string, OfferedSubscription>();

  constructor(
    /** Replaced when the client resumes its RPC session on a new socket. */
    public rpc: RpcSocket,
    private readonly deps: ParticipantDeps,
    /** Resumes an earlier RPC session whose socket dropped: the participant it belonged to, if still there. */
    private readonly resume: (rpcSessionId: string, socket: RpcSocket) => Participant | undefined = () => undefined,
  ) {}

  handle = async (method: string, params: Params): Promise<unknown> => {
    if (method === 'ping') return 'pong';
    if (method === 'joinRoom') return this.joinRoom(params);
    if (method === 'connect') {
      const resumed = this.connection ? undefined : this.resume(str(params.sessionId), this.rpc);
      if (!resumed) throw new RpcError(RPC.reconnectionError, 'reconnection error');
      return 'reconnection successful';
    }
    const { session, connection } = this.joined();
    switch (method) {
      case 'publishVideo':
        return this.publishVideo(session, connection, params);
      case 'prepareReceiveVideoFrom':
        return this.prepareReceiveVideoFrom(session, connection, params);
      case 'receiveVideoFrom':
        return params.sdpAnswer !== undefined ? this.acceptOfferedSubscription(session, connection, str(params.sender), str(params.sdpAnswer)) : this.receiveVideoFrom(session, connection, params);
      case 'onIceCandidate':
        await this.deps.endpoints.iceCandidate(connection.id, str(params.endpointName), { candidate: str(params.candidate), sdpMid: params.sdpMid as string, sdpMLineIndex: params.sdpMLineIndex as number });
        return {};
      case 'unpublishVideo':
        for (const streamId of [...connection.publishers.keys()]) this.deps.registry.unpublish(session, connection, streamId, 'unpublish');
        return {};
      case 'unsubscribeFromVideo':
        return this.unsubscribe(session, connection, str(params.sender));
      case 'leaveRoom':
        this.left = true;
        // Answered first: the browser closes its socket on the answer.
        setImmediate(() => this.deps.registry.removeConnection(session, connection, 'disconnect'));
        return {};
      case 'sendMessage':
        return this.sendMessage(session, connection, params);
      case 'streamPropertyChanged':
        return this.streamPropertyChanged(session, connection, params);
      case 'forceDisconnect':
        return this.forceDisconnect(session, connection, params);
      case 'forceUnpublish':
        return this.forceUnpublish(session, connection, params);
      case 'reconnectStream':
        return this.reconnectStream(session, connection, params);
      case 'echo':
      case 'videoData':
        return {};
      case 'subscribeToSpeechToText':
      case 'unsubscribeFromSpeechToText':
        throw new RpcError(RPC.sttDisabled, 'Speech to Text is not enabled');
      case 'applyFilter':
      case 'execFilterMethod':
      case 'removeFilter':
      case 'addFilterEventListener':
      case 'removeFilterEventListener':
        throw new RpcError(RPC.unauthorized, 'Filters are not supported by this media engine');
      default:
        throw new RpcError(-32601, `Unknown method ${method}`);
    }
  };

  private joined(): { session: Session; connection: Connection } {
    if (!this.session || !this.connection) throw new RpcError(RPC.notJoined, 'This method requires a joinRoom first');
    return { session: this.session, connection: this.connection };
  }

  private joinRoom(params: Params): Params {
    const { registry, settings } = this.deps;
    if (this.connection) throw new RpcError(RPC.unauthorized, 'Already joined');
    const session = registry.find(str(params.session));
    if (!session) throw new RpcError(RPC.sessionNotFound, `Session ${str(params.session)} not found`);
    const secret = settings.current.secret;
    let connection: Connection | undefined;
    if (secret && params.secret === secret) connection = registry.adoptConnection(session, 'MODERATOR');
    else connection = registry.pendingByToken(session, str(params.token));
    if (!connection) throw new RpcError(RPC.unauthorized, 'Token not valid');
    const existing = [...session.connections.values()].filter(isActive);
    this.session = session;
    this.connection = connection;
    registry.activate(session, connection, this.link(), { clientData: str(params.metadata), platform: str(params.platform), ip: this.deps.ip });
    const metadata = `${connection.clientData}%/%${connection.serverData}`;
    registry.broadcast(session, 'participantJoined', { id: connection.id, createdAt: connection.activeAt, metadata }, connection.id);
    return {
      id: connection.id,
      finalUserId: connection.id,
      createdAt: connection.activeAt,
      metadata,
      value: existing.map((other) => ({
        id: other.id,
        createdAt: other.activeAt,
        metadata: `${other.clientData ?? ''}%/%${other.serverData}`,
        ...(other.publishers.size ? { streams: [...other.publishers.values()].map(participantStreamJson) } : {}),
      })),
      session: session.id,
      version: OPENVIDU_VERSION,
      mediaServer: this.deps.engine.mediaServer,
      videoSimulcast: this.deps.engine.mediaServer === 'mediasoup',
      record: connection.record,
      role: connection.role,
      coturnIp: new URL(settings.publicUrl).hostname,
      coturnPort: 3478,
      turnUsername: '',
      turnCredential: '',
      customIceServers: connection.customIceServers,
    };
  }

  private link() {
    return {
      notify: (method: string, params: Params) => this.rpc.notify(method, params),
      close: () => {
        this.left = true;
        for (const offered of this.offered.values()) void offered.endpoint.close();
        this.offered.clear();
        setTimeout(() => this.rpc.close(1000, 'evicted'), 100).unref();
      },
    };
  }

  private async publishVideo(session: Session, connection: Connection, params: Params): Promise<Params> {
    if (connection.role === 'SUBSCRIBER') throw new RpcError(RPC.unauthorized, 'Unable to publish: the connection is a SUBSCRIBER');
    if (connection.publishers.size > 0) throw new RpcError(RPC.alreadyPublishing, 'Already publishing a stream');
    const hasVideo = bool(params.hasVideo, true);
    const stream = this.deps.registry.publish(session, connection, {
      hasAudio: bool(params.hasAudio, true),
      hasVideo,
      audioActive: bool(params.audioActive, true),
      videoActive: bool(params.videoActive, true),
      typeOfVideo: hasVideo ? str(params.typeOfVideo, 'CAMERA') : 'MICRO',
      frameRate: typeof params.frameRate === 'number' ? params.frameRate : -1,
      videoDimensions: str(params.videoDimensions, '{}'),
      filter: (params.filter as Record<string, unknown> | undefined) ?? {},
    });
    try {
      const { sdpAnswer, endpoint } = await this.deps.engine.publish({
        sdpOffer: str(params.sdpOffer),
        maxVideoKbps: connection.kurentoOptions.videoMaxSendBandwidth ?? 0,
        videoCodec: session.forcedVideoCodec,
        nodeId: session.mediaNodeId,
        onIceCandidate: (candidate) => this.rpc.notify('iceCandidate', { senderConnectionId: connection.id, endpointName: connection.id, ...candidate }),
      });
      this.deps.endpoints.addPublisher(connection.id, stream.streamId, endpoint);
      endpoint.limitBitrate('publisher', connection.kurentoOptions.videoMaxSendBandwidth ?? 0);
      setImmediate(() => {
        if (connection.publishers.has(stream.streamId)) this.deps.registry.announce(session, connection, stream);
      });
      return { sdpAnswer, id: stream.streamId, createdAt: stream.createdAt };
    } catch (error) {
      connection.publishers.delete(stream.streamId);
      throw new RpcError(RPC.transportError, `Could not publish: ${(error as Error).message}`);
    }
  }

  /** The published stream a subscription asks for ("<connectionId>_<streamId>" from older clients). */
  private source(session: Session, senderParam: unknown): { sender: string; ownerId: string; publisher: PublisherEndpoint } {
    const sender = str(senderParam).replace(/^con_[a-zA-Z0-9]+_(?=str_)/, '');
    const found = this.deps.registry.findStream(session, sender);
    const publisher = this.deps.endpoints.publishers.get(sender);
    if (!found || !publisher) throw new RpcError(RPC.notStreaming, `Stream ${sender} is not published`);
    return { sender, ownerId: found.owner.id, publisher };
  }

  private async receiveVideoFrom(session: Session, connection: Connection, params: Params): Promise<Params> {
    const { sender, ownerId, publisher } = this.source(session, params.sender);
    if (connection.subscribers.has(sender)) this.deps.registry.unsubscribe(session, connection, sender, 'unsubscribe');
    const maxRecv = connection.kurentoOptions.videoMaxRecvBandwidth ?? 0;
    const { sdpAnswer, endpoint } = await this.deps.engine.subscribe(publisher, {
      sdpOffer: str(params.sdpOffer),
      maxVideoKbps: maxRecv,
      videoCodec: session.forcedVideoCodec,
      nodeId: session.mediaNodeId,
      onIceCandidate: (candidate) => this.rpc.notify('iceCandidate', { senderConnectionId: ownerId, endpointName: ownerId, ...candidate }),
    });
    this.deps.endpoints.addSubscriber(connection.id, ownerId, sender, endpoint, maxRecv);
    this.deps.registry.subscribe(session, connection, sender);
    return { sdpAnswer };
  }

  /** The mediasoup flavour: the server offers the subscription, the client answers with receiveVideoFrom (or reconnectStream). */
  private async prepareReceiveVideoFrom(session: Session, connection: Connection, params: Params): Promise<Params> {
    const { sender, ownerId, publisher } = this.source(session, params.sender);
    if (!this.deps.engine.offerSubscription) throw new RpcError(RPC.transportError, 'This media engine does not offer subscriptions: the client offers');
    const offered = await this.deps.engine.offerSubscription(publisher, {
      maxVideoKbps: connection.kurentoOptions.videoMaxRecvBandwidth ?? 0,
      videoCodec: session.forcedVideoCodec,
      nodeId: session.mediaNodeId,
      onIceCandidate: (candidate) => this.rpc.notify('iceCandidate', { senderConnectionId: ownerId, endpointName: ownerId, ...candidate }),
    });
    void this.offered.get(sender)?.endpoint.close();
    this.offered.set(sender, offered);
    return { sdpOffer: offered.sdpOffer };
  }

  private async acceptOfferedSubscription(session: Session, connection: Connection, senderParam: string, sdpAnswer: string): Promise<Params> {
    const { sender, ownerId } = this.source(session, senderParam);
    const offered = this.offered.get(sender);
    if (!offered) throw new RpcError(RPC.notStreaming, `No subscription to ${sender} was offered: call prepareReceiveVideoFrom first`);
    this.offered.delete(sender);
    if (connection.subscribers.has(sender)) this.deps.registry.unsubscribe(session, connection, sender, 'unsubscribe');
    try {
      await offered.accept(sdpAnswer);
    } catch (error) {
      await offered.endpoint.close();
      throw new RpcError(RPC.transportError, `Could not subscribe: ${(error as Error).message}`);
    }
    const maxRecv = connection.kurentoOptions.videoMaxRecvBandwidth ?? 0;
    this.deps.endpoints.addSubscriber(connection.id, ownerId, sender, offered.endpoint, maxRecv);
    this.deps.registry.subscribe(session, connection, sender);
    return {};
  }

  private unsubscribe(session: Session, connection: Connection, sender: string): Params {
    const streamId = [...connection.subscribers.keys()].find((id) => id.endsWith(`_${sender}`) || id === sender);
    if (streamId) this.deps.registry.unsubscribe(session, connection, streamId, 'unsubscribe');
    return {};
  }

  private sendMessage(session: Session, connection: Connection, params: Params): Params {
    let message: { to?: unknown; data?: unknown; type?: unknown };
    try {
      message = JSON.parse(str(params.message, '{}')) as typeof message;
    } catch {
      throw new RpcError(RPC.badSignalTo, 'message is not JSON');
    }
    const to = Array.isArray(message.to) ? message.to.filter((id): id is string => typeof id === 'string') : undefined;
    try {
      this.deps.registry.signal(session, { to, type: typeof message.type === 'string' ? message.type : undefined, data: str(message.data), from: connection });
    } catch {
      throw new RpcError(RPC.badSignalTo, 'Signal "to" field invalid: some connection does not exist');
    }
    return {};
  }

  private streamPropertyChanged(session: Session, connection: Connection, params: Params): Params {
    const streamId = str(params.streamId);
    const stream = connection.publishers.get(streamId);
    if (!stream) throw new RpcError(RPC.notStreaming, `Stream ${streamId} is not published by this connection`);
    const property = str(params.property);
    const newValue = params.newValue;
    if (property === 'audioActive' || property === 'videoActive') stream[property] = newValue === true || newValue === 'true';
    if (property === 'videoDimensions') stream.videoDimensions = typeof newValue === 'string' ? newValue : JSON.stringify(newValue);
    this.deps.registry.broadcast(session, 'streamPropertyChanged', { connectionId: connection.id, streamId, property, newValue: typeof newValue === 'string' ? newValue : JSON.stringify(newValue), reason: str(params.reason) });
    return {};
  }

  private forceDisconnect(session: Session, connection: Connection, params: Params): Params {
    if (connection.role !== 'MODERATOR') throw new RpcError(RPC.unauthorized, 'Only a MODERATOR can force a disconnection');
    const target = session.connections.get(str(params.connectionId));
    if (!target || !isActive(target)) throw new RpcError(RPC.userNotFound, `Connection ${str(params.connectionId)} not found`);
    this.deps.registry.removeConnection(session, target, 'forceDisconnectByUser');
    return {};
  }

  private forceUnpublish(session: Session, connection: Connection, params: Params): Params {
    if (connection.role !== 'MODERATOR') throw new RpcError(RPC.unauthorized, 'Only a MODERATOR can force an unpublish');
    const found = this.deps.registry.findStream(session, str(params.streamId));
    if (!found) throw new RpcError(RPC.notStreaming, `Stream ${str(params.streamId)} not found`);
    this.deps.registry.unpublish(session, found.owner, found.stream.streamId, 'forceUnpublishByUser');
    return {};
  }

  /** An ICE failure on one stream: its endpoint is renegotiated from the client's new offer, under the same stream id. */
  private async reconnectStream(session: Session, connection: Connection, params: Params): Promise<Params> {
    const streamId = str(params.stream);
    const own = connection.publishers.get(streamId);
    if (own) {
      this.deps.endpoints.releasePublisher(session, connection, streamId);
      const { sdpAnswer, endpoint } = await this.deps.engine.publish({
        sdpOffer: str(params.sdpOffer),
        maxVideoKbps: connection.kurentoOptions.videoMaxSendBandwidth ?? 0,
        videoCodec: session.forcedVideoCodec,
        nodeId: session.mediaNodeId,
        onIceCandidate: (candidate) => this.rpc.notify('iceCandidate', { senderConnectionId: connection.id, endpointName: connection.id, ...candidate }),
      });
      this.deps.endpoints.addPublisher(connection.id, streamId, endpoint);
      endpoint.limitBitrate('publisher', connection.kurentoOptions.videoMaxSendBandwidth ?? 0);
      for (const other of session.connections.values()) if (other.subscribers.has(streamId)) other.link?.notify('streamPropertyChanged', { connectionId: connection.id, streamId, property: 'videoTrack', newValue: 'true', reason: 'reconnect' });
      return { sdpAnswer };
    }
    // A subscription renegotiated: from the client's offer, or with its answer to the server's (mediasoup flavour).
    if (this.offered.has(streamId) && params.sdpString !== undefined) return this.acceptOfferedSubscription(session, connection, streamId, str(params.sdpString));
    return this.receiveVideoFrom(session, connection, { sender: streamId, sdpOffer: params.sdpOffer });
  }
}
