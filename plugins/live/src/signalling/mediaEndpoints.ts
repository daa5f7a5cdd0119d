import type { Logger } from '@mediahost/core';
import type { IceCandidate, PublisherEndpoint, SubscriberEndpoint } from '../media/mediaEngine.js';
import type { MediaRelease } from '../sessions/sessionRegistry.js';

type Endpoint = PublisherEndpoint | SubscriberEndpoint;

/**
 * The engine endpoints behind each published stream and each subscription, and the ICE candidates a browser
 * trickled before its endpoint existed (openvidu-browser sends them alongside its offer).
 */
export class MediaEndpoints implements MediaRelease {
  readonly publishers = new Map<string, PublisherEndpoint>();
  private readonly subscribers = new Map<string, SubscriberEndpoint>();
  /** connectionId|endpointName → endpoint, as onIceCandidate addresses them. */
  private readonly byIceName = new Map<string, Endpoint>();
  private readonly earlyCandidates = new Map<string, IceCandidate[]>();

  constructor(private readonly logger: Logger) {}

  addPublisher(connectionId: string, streamId: string, endpoint: PublisherEndpoint): void {
    this.publishers.set(streamId, endpoint);
    this.bindIce(`${connectionId}|${connectionId}`, endpoint);
  }

  /** maxRecvKbps: the subscriber's videoMaxRecvBandwidth, which caps the publisher too (as Kurento's pipeline does). */
  addSubscriber(connectionId: string, ownerId: string, streamId: string, endpoint: SubscriberEndpoint, maxRecvKbps = 0): void {
    this.subscribers.set(`${connectionId}|${streamId}`, endpoint);
    if (maxRecvKbps > 0) this.publishers.get(streamId)?.limitBitrate(`subscriber:${connectionId}`, maxRecvKbps);
    this.bindIce(`${connectionId}|${ownerId}`, endpoint);
  }

  async iceCandidate(connectionId: string, endpointName: string, candidate: IceCandidate): Promise<void> {
    const key = `${connectionId}|${endpointName}`;
    const endpoint = this.byIceName.get(key);
    if (endpoint) return endpoint.addIceCandidate(candidate);
    const early = this.earlyCandidates.get(key) ?? [];
    early.push(candidate);
    this.earlyCandidates.set(key, early);
  }

  releasePublisher(_session: unknown, connection: { id: string }, streamId: string): void {
    const endpoint = this.publishers.get(streamId);
    this.publishers.delete(streamId);
    this.unbind(`${connection.id}|${connection.id}`, endpoint);
    endpoint?.close().catch((error: unknown) => this.logger.warn('could not close a publisher endpoint', { error }));
  }

  releaseSubscriber(_session: unknown, connection: { id: string }, streamId: string): void {
    const key = `${connection.id}|${streamId}`;
    const endpoint = this.subscribers.get(key);
    this.publishers.get(streamId)?.limitBitrate(`subscriber:${connection.id}`, 0);
    this.subscribers.delete(key);
    const ownerId = streamId.replace(/^str_[A-Z]{3}_[a-zA-Z0-9]{4}_/, '');
    this.unbind(`${connection.id}|${ownerId}`, endpoint);
    endpoint?.close().catch((error: unknown) => this.logger.warn('could not close a subscriber endpoint', { error }));
  }

  private bindIce(key: string, endpoint: Endpoint): void {
    this.byIceName.set(key, endpoint);
    const early = this.earlyCandidates.get(key) ?? [];
    this.earlyCandidates.delete(key);
    for (const candidate of early) endpoint.addIceCandidate(candidate).catch((error: unknown) => this.logger.debug('early ICE candidate refused', { error }));
  }

  private unbind(key: string, endpoint: Endpoint | undefined): void {
    if (endpoint && this.byIceName.get(key) === endpoint) this.byIceName.delete(key);
    this.earlyCandidates.delete(key);
  }
}
