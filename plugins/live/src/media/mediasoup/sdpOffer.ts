import sdpTransform, { type SessionDescription } from 'sdp-transform';
import type { DtlsParameters, MediaKind, RtpCapabilities, RtpCodecCapability, RtpHeaderExtensionUri, RtpParameters } from 'mediasoup/types';

/**
 * Reads a client's SDP offer into mediasoup's ORTC terms: mediasoup itself speaks no SDP.
 * One m-section per kind (openvidu-browser's audio and video), all bundled on one transport.
 */

export type OfferSection = SessionDescription['media'][number];

export interface ParsedOffer {
  sdp: SessionDescription;
  sections: OfferSection[];
}

export function parseOffer(sdpOffer: string): ParsedOffer {
  const sdp = sdpTransform.parse(sdpOffer);
  return { sdp, sections: sdp.media.filter((m) => m.type === 'audio' || m.type === 'video') as OfferSection[] };
}

/** The client's DTLS role is what it is not in our answer: we answer passive (a=setup:passive), so it is the client. */
export function clientDtlsParameters(offer: ParsedOffer): DtlsParameters {
  const fingerprint = offer.sdp.fingerprint ?? offer.sections.find((s) => s.fingerprint)?.fingerprint;
  if (!fingerprint) throw new Error('the SDP offer has no DTLS fingerprint');
  return { role: 'client', fingerprints: [{ algorithm: fingerprint.type.toLowerCase() as 'sha-256', value: fingerprint.hash }] };
}

/** Every codec the section offers, with its parameters and RTCP feedback, in mediasoup's capability shape. */
export function offeredCodecs(section: OfferSection): RtpCodecCapability[] {
  const kind = section.type as MediaKind;
  return section.rtp.map((rtp) => {
    const config = section.fmtp.find((f) => f.payload === rtp.payload)?.config;
    const parameters: Record<string, string | number> = {};
    for (const pair of config ? config.split(';') : []) {
      const [key, value] = pair.split('=').map((s) => s.trim());
      if (!key || value === undefined) continue;
      parameters[key] = /^\d+$/.test(value) ? Number(value) : value;
    }
    return {
      kind,
      mimeType: `${kind}/${rtp.codec}`,
      preferredPayloadType: rtp.payload,
      clockRate: rtp.rate ?? 90000,
      ...(kind === 'audio' ? { channels: rtp.encoding ?? 1 } : {}),
      parameters,
      rtcpFeedback: (section.rtcpFb ?? []).filter((fb) => String(fb.payload) === String(rtp.payload) || String(fb.payload) === '*').map((fb) => ({ type: fb.type, parameter: fb.subtype ?? '' })),
    };
  });
}

/** The header extensions of a section that mediasoup also supports, at the ids the client chose. */
export function offeredExtensions(section: OfferSection, supported: Set<string>): { uri: RtpHeaderExtensionUri; id: number }[] {
  return (section.ext ?? []).filter((e) => supported.has(e.uri)).map((e) => ({ uri: e.uri as RtpHeaderExtensionUri, id: e.value }));
}

/** What a receiving client can take, for router.canConsume/transport.consume. */
export function clientCapabilities(offer: ParsedOffer, supported: Set<string>): RtpCapabilities {
  const codecs: RtpCodecCapability[] = [];
  const headerExtensions: NonNullable<RtpCapabilities['headerExtensions']> = [];
  for (const section of offer.sections) {
    codecs.push(...offeredCodecs(section));
    for (const { uri, id } of offeredExtensions(section, supported)) headerExtensions.push({ kind: section.type as MediaKind, uri, preferredId: id, direction: 'sendrecv' });
  }
  return { codecs, headerExtensions };
}

const isRtx = (codec: RtpCodecCapability) => codec.mimeType.toLowerCase().endsWith('/rtx');

/**
 * The RTP a publishing client announces in one section, for transport.produce: the chosen codec (and its RTX),
 * the SSRCs of its a=ssrc/ssrc-group lines, or the rids of simulcast, matched by mid otherwise.
 */
export function producerRtpParameters(section: OfferSection, codec: RtpCodecCapability, supported: Set<string>): RtpParameters {
  const offered = offeredCodecs(section);
  const rtx = offered.find((c) => isRtx(c) && Number(c.parameters?.apt) === codec.preferredPayloadType);
  const codecs: RtpParameters['codecs'] = [codec, ...(rtx ? [rtx] : [])].map((c) => ({
    mimeType: c.mimeType,
    payloadType: c.preferredPayloadType!,
    clockRate: c.clockRate,
    ...(c.channels ? { channels: c.channels } : {}),
    parameters: c.parameters,
    rtcpFeedback: c.rtcpFeedback,
  }));
  const cname = section.ssrcs?.find((s) => s.attribute === 'cname')?.value;
  const rids = (section.rids ?? []).filter((r) => r.direction === 'send').map((r) => String(r.id));
  let encodings: RtpParameters['encodings'];
  if (rids.length > 1 && section.simulcast) encodings = rids.map((rid) => ({ rid }));
  else {
    const primary = section.ssrcs?.[0]?.id;
    const fid = section.ssrcGroups?.find((g) => g.semantics === 'FID')?.ssrcs.split(' ').map(Number);
    encodings = primary === undefined ? [{}] : [{ ssrc: Number(fid?.[0] ?? primary), ...(rtx && fid?.[1] ? { rtx: { ssrc: fid[1] } } : {}) }];
  }
  return {
    mid: section.mid === undefined ? undefined : String(section.mid),
    codecs,
    headerExtensions: offeredExtensions(section, supported),
    encodings,
    rtcp: { cname, reducedSize: section.rtcpRsize !== undefined },
  };
}
