/** Caps the video m-section of an SDP at kbps (b=AS and b=TIAS), which browsers honour as their send limit. 0 leaves it alone. */
export function capVideoBandwidth(sdp: string, kbps: number): string {
  if (!kbps) return sdp;
  const lines = sdp.split(/\r\n/);
  const out: string[] = [];
  let inVideo = false;
  for (const line of lines) {
    if (line.startsWith('m=')) inVideo = line.startsWith('m=video');
    if (inVideo && (line.startsWith('b=AS:') || line.startsWith('b=TIAS:'))) continue;
    out.push(line);
    if (inVideo && line.startsWith('c=')) out.push(`b=AS:${kbps}`, `b=TIAS:${kbps * 1000}`);
  }
  return out.join('\r\n');
}
