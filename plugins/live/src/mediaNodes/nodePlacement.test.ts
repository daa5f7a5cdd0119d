import { expect } from 'chai';
import type { MediaNode, MediaNodeStatus } from '../media/mediaNode.js';
import { leastLoaded } from './nodePlacement.js';

const node = (id: string, load: number, status: MediaNodeStatus = 'running'): MediaNode => ({
  id,
  environmentId: id,
  ip: '127.0.0.1',
  uri: `worker://test/${id}`,
  launchingTime: 0,
  connectionTime: 0,
  status,
  load: () => load,
  extraInfo: () => ({}),
});

describe('live: media node placement', () => {
  it('takes the least loaded running node', () => {
    const sessions = () => 0;
    expect(leastLoaded([node('a', 80), node('b', 35), node('c', 60)], sessions)?.id).to.equal('b');
    expect(leastLoaded([node('a', 5, 'waiting-idle-to-terminate'), node('b', 70)], sessions)?.id).to.equal('b');
    expect(leastLoaded([node('a', 5, 'terminated')], sessions)).to.equal(undefined);
  });

  it('spreads sessions over nodes about as loaded (an idle worker\'s load wobbles), then takes the lower load', () => {
    const hosted: Record<string, number> = { a: 2, b: 1, c: 1 };
    expect(leastLoaded([node('a', 0.1), node('b', 0.4), node('c', 0.2)], (n) => hosted[n.id]!)?.id).to.equal('c');
    expect(leastLoaded([node('a', 0.1), node('b', 45)], (n) => hosted[n.id]!)?.id).to.equal('a');
  });
});
