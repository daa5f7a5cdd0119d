import { expect } from 'chai';
import { filtersOf, needsOfArguments } from './support/commandNeeds.js';

describe('needsOfArguments', () => {
  it('names the filters of a filtergraph, once each, whatever its labels', () => {
    expect(filtersOf('[0:v:0]split=2[s0][s1];[s0]scale=320:240:flags=bicubic,setsar=1[v0];[s1]scale=640:360,setsar=1[v1]')).to.deep.equal(['split', 'scale', 'setsar']);
    expect(filtersOf("drawtext=text='a, b; c':x=1,fade=t=in[out]")).to.deep.equal(['drawtext', 'fade']);
  });

  it('tells demuxers from muxers by their place around the inputs, and skips stream copies', () => {
    const needs = needsOfArguments(['-f', 'lavfi', '-i', 'testsrc', '-i', 'in.mkv', '-filter_complex', '[0:v]scale=2:2[v]', '-map', '[v]', '-c:v', 'libx264', '-c:a', 'aac', '-f', 'hls', 'out.m3u8', '-c', 'copy', '-f', 'mp4', 'out.mp4']);
    expect(needs).to.deep.equal({ encoders: ['libx264', 'aac'], muxers: ['hls', 'mp4'], demuxers: ['lavfi'], filters: ['scale'] });
  });
});
