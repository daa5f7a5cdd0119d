import sdpTransform, { type SessionDescription } from 'sdp-transform';
import type { RtpCodecParameters, WebRtcTransport } from 'mediasoup/types';
import type { OfferSection, ParsedOffer } from './sdpOffer.js';

/** How one offered m-section is answered: rejected, or with these codecs/extensions (and, when we send, these SSRCs). */
export type SectionAnswer =
  | { rejected: true }
  | {
      rejected?: false;
      direction: 'recvonly' | 'sendonly';
      codecs: RtpCodecParameters[];
      extensions: { uri: string; id: number }[];
      send?: { ssrc: number; rtxSsrc?: number; cname: string; streamId: string; trackId: string };
      /** The simulcast layers (rids) the offer sends and the producer takes. */
      receiveRids?: string[];
    };

/** What an m-section is, whether the client's offer had it or we offer it. */
type SectionHead = Pick<OfferSection, 'type' | 'protocol' | 'mid'> & { payloads?: OfferSection['payloads'] };

function fmtpConfig(parameters: RtpCodecParameters['parameters']): string | undefined {
  const entries = Object.entries(parameters ?? {});
  return entries.length ? entries.map(([key, value]) => `${key}=${value}`).join(';') : undefined;
}

function codecName(mimeType: string): string {
  return mimeType.slice(mimeType.indexOf('/') + 1);
}

function answerSection(section: SectionHead, answer: SectionAnswer, transport: WebRtcTransport, setup: 'passive' | 'actpass'): SessionDescription['media'][number] {
  const common = { type: section.type, protocol: section.protocol, mid: section.mid, connection: { version: 4, ip: '127.0.0.1' } };
  if (answer.rejected) return { ...common, port: 0, payloads: section.payloads, rtp: [], fmtp: [], direction: 'inactive' } as unknown as SessionDescription['media'][number];
  const { iceParameters, iceCandidates, dtlsParameters } = transport;
  const fingerprint = dtlsParameters.fingerprints.find((f) => f.algorithm === 'sha-256') ?? dtlsParameters.fingerprints[0]!;
  const media: SessionDescription['media'][number] = {
    ...common,
    port: 7,
    payloads: answer.codecs.map((c) => c.payloadType).join(' '),
    rtp: answer.codecs.map((c) => ({ payload: c.payloadType, codec: codecName(c.mimeType), rate: c.clockRate, ...(c.channels && c.channels > 1 ? { encoding: c.channels } : {}) })),
    fmtp: answer.codecs.flatMap((c) => {
      const config = fmtpConfig(c.parameters);
      return config ? [{ payload: c.payloadType, config }] : [];
    }),
    rtcpFb: answer.codecs.flatMap((c) => (c.rtcpFeedback ?? []).map((fb) => ({ payload: String(c.payloadType), type: fb.type, ...(fb.parameter ? { subtype: fb.parameter } : {}) }))),
    ext: answer.extensions.map((e) => ({ value: e.id, uri: e.uri })),
    direction: answer.direction,
    rtcpMux: 'rtcp-mux',
    rtcpRsize: 'rtcp-rsize',
    iceUfrag: iceParameters.usernameFragment,
    icePwd: iceParameters.password,
    fingerprint: { type: fingerprint.algorithm, hash: fingerprint.value },
    setup,
    candidates: iceCandidates.map((c, index) => ({
      foundation: c.foundation,
      component: 1,
      transport: c.protocol,
      priority: c.priority,
      ip: c.address,
      port: c.port,
      type: c.type,
      ...(c.tcpType ? { tcptype: c.tcpType } : {}),
      generation: 0,
      'network-id': index + 1,
    })),
    endOfCandidates: 'end-of-candidates',
  };
  if (answer.receiveRids?.length) {
    media.rids = answer.receiveRids.map((id) => ({ id, direction: 'recv' }));
    media.simulcast = { dir1: 'recv', list1: answer.receiveRids.join(';') };
  }
  if (answer.send) {
    const { ssrc, rtxSsrc, cname, streamId, trackId } = answer.send;
    media.ssrcs = [
      { id: ssrc, attribute: 'cname', value: cname },
      { id: ssrc, attribute: 'msid', value: `${streamId} ${trackId}` },
      ...(rtxSsrc ? [{ id: rtxSsrc, attribute: 'cname', value: cname }, { id: rtxSsrc, attribute: 'msid', value: `${streamId} ${trackId}` }] : []),
    ];
    if (rtxSsrc) media.ssrcGroups = [{ semantics: 'FID', ssrcs: `${ssrc} ${rtxSsrc}` }];
    media.msid = [{ id: streamId, appdata: trackId }];
  }
  return media;
}

/** The SDP answer of an ICE-lite, DTLS-passive mediasoup transport, bundling every accepted section. */
export function writeAnswer(offer: ParsedOffer, answers: SectionAnswer[], transport: WebRtcTransport): string {
  return describe(offer.sections, answers, transport, 'passive');
}

/** The SDP offer of a transport that sends (a server-offered subscription): one section per consumer, under its mid. */
export function writeOffer(sections: { type: 'audio' | 'video'; mid: string }[], answers: SectionAnswer[], transport: WebRtcTransport): string {
  return describe(
    sections.map((s) => ({ ...s, protocol: 'UDP/TLS/RTP/SAVPF' })),
    answers,
    transport,
    'actpass',
  );
}

function describe(sections: SectionHead[], answers: SectionAnswer[], transport: WebRtcTransport, setup: 'passive' | 'actpass'): string {
  const media = sections.map((section, index) => answerSection(section, answers[index]!, transport, setup));
  const bundled = sections.filter((_, index) => !answers[index]!.rejected).map((s) => s.mid);
  return sdpTransform.write({
    version: 0,
    origin: { username: 'mediahost', sessionId: Date.now(), sessionVersion: 1, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
    name: '-',
    timing: { start: 0, stop: 0 },
    icelite: 'ice-lite',
    groups: bundled.length ? [{ type: 'BUNDLE', mids: bundled.join(' ') }] : [],
    msidSemantic: { semantic: 'WMS', token: '*' },
    media,
  } as unknown as Parameters<typeof sdpTransform.write>[0]);
}
