import { expect } from 'chai';
import { mediaBinaries } from '../../../test/support/toolchain.js';
import { checkMediaToolchain, MediaToolchainError, readCapabilities, versionNumber } from './capabilities.js';

describe('checkMediaToolchain', () => {
  it('reads what the installed ffmpeg has', async () => {
    const capabilities = await readCapabilities(mediaBinaries().ffmpeg);
    expect([...capabilities.encoders]).to.include.members(['libx264', 'aac', 'libvpx', 'libopus']);
    expect([...capabilities.muxers]).to.include.members(['hls', 'mp4', 'webm', 'matroska']);
    expect([...capabilities.demuxers]).to.include.members(['mov', 'mp4', 'matroska', 'hls']);
    expect([...capabilities.filters]).to.include.members(['xfade', 'drawtext', 'scale', 'apad']);
    expect([...capabilities.protocols]).to.include.members(['file', 'rtp', 'udp']);
    expect(versionNumber(capabilities.version)).to.be.an('array');
  });

  it('passes what the plugins declare and refuses what it lacks, naming each need and who asked for it', async () => {
    const binaries = mediaBinaries();
    const report = await checkMediaToolchain(binaries, new Map([['publish', { encoders: ['libx264'], filters: ['apad=whole_dur'] }]]));
    expect(report.binaries).to.deep.equal(binaries);
    const error = await checkMediaToolchain(binaries, new Map([
      ['a', { encoders: ['no_such_encoder'], muxers: ['hls'] }],
      ['b', { encoders: ['no_such_encoder'], filters: ['scale=no_such_option'] }],
    ])).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MediaToolchainError);
    expect((error as Error).message).to.contain('encoder no_such_encoder (a, b); filter scale with option no_such_option (b)');
    expect((error as Error).message).not.to.contain('hls');
  });

  it('says which binary cannot be found', async () => {
    const error = await checkMediaToolchain({ ffmpeg: mediaBinaries().ffmpeg }, new Map()).catch((e: unknown) => e);
    expect((error as Error).message).to.match(/ffprobe not found on PATH/);
  });

  it('reads version numbers of releases and leaves development builds to their capabilities', () => {
    expect(versionNumber('5.1.9-0+deb12u1')).to.deep.equal([5, 1]);
    expect(versionNumber('n7.0.2')).to.deep.equal([7, 0]);
    expect(versionNumber('N-110000-g1234')).to.equal(undefined);
  });
});
