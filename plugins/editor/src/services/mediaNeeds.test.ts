import { expect } from 'chai';
import { MediaToolchain } from '@mediahost/core';
import { needsOfArguments } from '../../../../test/support/commandNeeds.js';
import { editorConfigSchema } from '../config.js';
import { exportCommand, proxyCommand } from './mediaCommands.js';
import { EDITOR_MEDIA_NEEDS } from './mediaNeeds.js';
import { renderGraph } from './renderGraph.js';
import { layOut, type LayoutFile } from './timelineLayout.js';
import { timelineInputSchema } from '../models/timelineSchema.js';

describe('editor: declared media needs', () => {
  const media = new MediaToolchain({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' });
  const declaredFilters = (EDITOR_MEDIA_NEEDS.filters ?? []).map((need) => need.split('=')[0]);

  function expectCovered(args: string[]) {
    const used = needsOfArguments(args);
    expect(EDITOR_MEDIA_NEEDS.encoders).to.include.members(used.encoders);
    expect(EDITOR_MEDIA_NEEDS.muxers).to.include.members(used.muxers);
    expect(declaredFilters).to.include.members(used.filters);
    return used;
  }

  it('cover the proxy command', () => {
    const used = expectCovered(MediaToolchain.argumentsOf(proxyCommand(media, '/in', '/out.mp4', 'veryfast', true)));
    expect(used.encoders).to.deep.equal(['libx264', 'aac']);
  });

  it('cover an export with every kind of element: clips, an image, a transition, a padded end, texts and music', () => {
    const files = new Map<number, LayoutFile>([
      [1, { id: 1, type: 'video', durationMs: 4000, hasAudio: true }],
      [2, { id: 2, type: 'image', durationMs: 0, hasAudio: false }],
      [3, { id: 3, type: 'audio', durationMs: 3000, hasAudio: true }],
      [4, { id: 4, type: 'video', durationMs: 4000, hasAudio: false }],
    ]);
    const { tracks } = timelineInputSchema.parse({
      title: 't',
      tracks: [
        { type: 'video', clips: [{ fileId: 1, in: 500, out: 2500 }, { fileId: 2, out: 1500, transition: { type: 'fade', duration: 500 } }, { fileId: 4, out: 1000 }] },
        { type: 'text', texts: [{ text: 'Hi', start: 0, duration: 6000, background: '#000000' }] },
        { type: 'audio', clips: [{ fileId: 3, start: 500, out: 1000, volume: 0.5 }] },
      ],
    });
    const config = editorConfigSchema.parse({});
    const graph = renderGraph(layOut(tracks, files), { media: (id) => `/m/${id}`, font: () => '/f.ttf', textFile: (i) => `/t/${i}.txt` }, config.export);
    const used = expectCovered(MediaToolchain.argumentsOf(exportCommand(media, graph, '/out.mp4', 6000, config.export)));
    expect(used.filters).to.include.members(['xfade', 'acrossfade', 'drawtext', 'apad', 'amix', 'adelay', 'concat', 'tpad']);
  });

  it('ask for apad with whole_dur, which ffmpeg before 4.4 lacks', () => {
    expect(EDITOR_MEDIA_NEEDS.filters).to.include('apad=whole_dur');
  });
});
