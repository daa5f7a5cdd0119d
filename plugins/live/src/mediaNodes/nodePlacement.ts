import type { MediaNode } from '../media/mediaNode.js';

/** Loads closer than this are taken as equal: an idle worker's load wobbles by a few tenths of a point. */
const LOAD_STEP = 10;

/**
 * The running node a new session goes to: the least loaded (CPU), and among nodes about as loaded the one hosting
 * the fewest sessions, so that sessions created together spread before any of them sends media.
 */
export function leastLoaded(nodes: MediaNode[], sessionsOn: (node: MediaNode) => number): MediaNode | undefined {
  const score = (node: MediaNode) => [Math.floor(node.load() / LOAD_STEP), sessionsOn(node), node.load()] as const;
  return nodes
    .filter((node) => node.status === 'running')
    .map((node) => ({ node, score: score(node) }))
    .sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.score[2] - b.score[2])[0]?.node;
}
