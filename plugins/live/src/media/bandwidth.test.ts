import { expect } from 'chai';
import { capVideoBandwidth } from './bandwidth.js';

const sdp = ['v=0', 'o=- 1 1 IN IP4 0.0.0.0', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 0.0.0.0', 'b=AS:5000', 'a=mid:1', ''].join('\r\n');

describe('capVideoBandwidth', () => {
  it('puts b=AS and b=TIAS in the video section only, replacing what was there', () => {
    const capped = capVideoBandwidth(sdp, 300);
    const [audio, video] = capped.split('m=video');
    expect(audio).not.to.contain('b=');
    expect(video).to.contain('c=IN IP4 0.0.0.0\r\nb=AS:300\r\nb=TIAS:300000\r\n');
    expect(video).not.to.contain('b=AS:5000');
  });

  it('leaves the SDP alone for 0 (unconstrained)', () => {
    expect(capVideoBandwidth(sdp, 0)).to.equal(sdp);
  });
});
