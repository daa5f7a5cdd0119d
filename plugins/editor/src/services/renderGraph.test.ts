import { expect } from 'chai';
import { renderGraph } from './renderGraph.js';
import { layOut, type LayoutFile } from './timelineLayout.js';
import { timelineInputSchema } from '../models/timelineSchema.js';

const files = new Map<number, LayoutFile>([
  [1, { id: 1, type: 'video', durationMs: 4000, hasAudio: true }],
  [2, { id: 2, type: 'image', durationMs: 0, hasAudio: false }],
  [3, { id: 3, type: 'audio', durationMs: 3000, hasAudio: true }],
]);
const sources = { media: (id: number) => `/m/${id}`, font: (name?: string) => `/f/${name ?? 'default'}.ttf`, textFile: (i: number) => `/t/${i}.txt` };
const out = { width: 640, height: 360, fps: 25 };

describe('editor: render graph', () => {
  it('cuts clips at their in point, loops images, joins with xfade and acrossfade, draws texts and mixes music at its start', () => {
    const { tracks } = timelineInputSchema.parse({
      title: 't',
      tracks: [
        { type: 'video', clips: [{ fileId: 1, in: 500, out: 2500 }, { fileId: 2, out: 1500, transition: { type: 'fade', duration: 500 } }] },
        { type: 'text', texts: [{ text: 'Hi', start: 0, duration: 1000, font: 'Mine', color: '#ffcc00', background: '#000000' }] },
        { type: 'audio', clips: [{ fileId: 3, start: 500, out: 1000, volume: 0.5 }] },
      ],
    });
    const graph = renderGraph(layOut(tracks, files), sources, out);
    expect(graph.inputs).to.deep.equal([
      { path: '/m/1', options: ['-ss', '0.500', '-t', '2.000'] },
      { path: '/m/2', options: ['-loop', '1', '-framerate', '25', '-t', '1.500'] },
      { path: '/m/3', options: ['-ss', '0.000', '-t', '1.000'] },
    ]);
    expect(graph.filter).to.contain('[v0][v1]xfade=transition=fade:duration=0.500:offset=1.500[vj1]');
    expect(graph.filter).to.contain('[a0][a1]acrossfade=d=0.500[aj1]');
    expect(graph.filter).to.contain("drawtext=fontfile='/f/Mine.ttf':textfile='/t/0.txt':fontsize=48:fontcolor=0xffcc00:box=1:boxcolor=0x000000");
    expect(graph.filter).to.contain("enable='between(t,0.000,1.000)'");
    expect(graph.filter).to.contain('adelay=delays=500:all=1[m0]');
    expect(graph.filter).to.contain('amix=inputs=2:duration=first:normalize=0[amix]');
    expect(graph.video).to.equal('[t0]');
    expect(graph.audio).to.equal('[amix]');
  });

  it('renders black and silence for a timeline of texts only', () => {
    const { tracks } = timelineInputSchema.parse({ title: 't', tracks: [{ type: 'text', texts: [{ text: 'Only', start: 0, duration: 2000 }] }] });
    const graph = renderGraph(layOut(tracks, files), sources, out);
    expect(graph.inputs).to.deep.equal([]);
    expect(graph.filter).to.contain('color=c=black:s=640x360:r=25:d=2.000');
  });
});
