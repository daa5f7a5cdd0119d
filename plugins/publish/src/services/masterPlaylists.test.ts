import { expect } from 'chai';
import { audioStreamPlaylist, multiMaster, mutedMaster, subtitlePlaylist } from './masterPlaylists.js';

const input = {
  rungs: [
    { name: '720p', width: 1280, height: 720, videoBitrateKbps: 2800 },
    { name: '360p', width: 640, height: 360, videoBitrateKbps: 800 },
  ],
  fps: 25,
  audioBitrateKbps: 128,
  audio: [
    { id: 'a1', name: 'English', language: 'en', channels: 6 },
    { id: 'a2', name: 'Fr"ench', language: 'fr', channels: 2 },
  ],
  subtitles: [{ id: 's1', name: 'English', language: 'en' }],
};

describe('master playlists', () => {
  it('lists each rendition with its bandwidth, resolution and the audio and subtitle groups', () => {
    const lines = multiMaster(input).trim().split('\n');
    expect(lines[0]).to.equal('#EXTM3U');
    expect(lines).to.include('#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="English",LANGUAGE="en",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="../../a1/stream/master.m3u8"');
    expect(lines.find((l) => l.includes('URI="../../a2/'))).to.contain('NAME="Fr\'ench"').and.to.contain('DEFAULT=NO');
    expect(lines).to.include('#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=NO,URI="../../s1/subtitle/subtitle.m3u8"');
    const variant = lines.indexOf('../../720p/video.m3u8');
    expect(lines[variant - 1]).to.equal(
      '#EXT-X-STREAM-INF:BANDWIDTH=3220800,AVERAGE-BANDWIDTH=2928000,RESOLUTION=1280x720,FRAME-RATE=25.000,CODECS="avc1.640029,mp4a.40.2",AUDIO="audio",SUBTITLES="subs"',
    );
    expect(lines.at(-1)).to.equal('../../360p/video.m3u8');
  });

  it('makes the muted playlist from the same renditions without audio or subtitles', () => {
    const muted = mutedMaster(input);
    expect(muted).to.not.contain('TYPE=AUDIO').and.to.not.contain('SUBTITLES=');
    expect(muted).to.contain('BANDWIDTH=880000,AVERAGE-BANDWIDTH=800000,RESOLUTION=640x360,FRAME-RATE=25.000,CODECS="avc1.640029"');
  });

  it('wraps a WebVTT file in a one-segment playlist', () => {
    expect(subtitlePlaylist(9.5)).to.contain('#EXT-X-TARGETDURATION:10\n').and.to.contain('#EXTINF:9.500,\nsubtitle.vtt\n#EXT-X-ENDLIST');
  });

  it('points served audio playlists at the /audio/ segment route', () => {
    expect(audioStreamPlaylist('#EXTM3U\n#EXTINF:4.0,\nseg_00000.ts\n#EXT-X-ENDLIST\n')).to.equal('#EXTM3U\n#EXTINF:4.0,\n../audio/seg_00000.ts\n#EXT-X-ENDLIST\n');
  });
});
