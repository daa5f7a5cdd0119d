import { expect } from 'chai';
import type { PluginParts } from './contract.js';
import { startPlugin, stopPlugin } from './lifecycle.js';

function recordingParts(calls: string[], failingStop?: 'ws'): PluginParts {
  const hooks = (name: string) => ({
    start: () => void calls.push(`${name} start`),
    stop: () => {
      calls.push(`${name} stop`);
      if (name === failingStop) throw new Error(`${name} failed`);
    },
  });
  return {
    start: async () => void calls.push('shared start'),
    stop: async () => void calls.push('shared stop'),
    roles: { app: hooks('app'), ws: hooks('ws') },
  };
}

describe('plugin role hooks', () => {
  it("starts the shared part, then the process role's hooks only", async () => {
    const calls: string[] = [];
    await startPlugin(recordingParts(calls), 'ws');
    expect(calls).to.deep.equal(['shared start', 'ws start']);
  });

  it('runs only the shared part in a role without hooks', async () => {
    const calls: string[] = [];
    const parts = recordingParts(calls);
    await startPlugin(parts, 'worker');
    await stopPlugin(parts, 'worker');
    expect(calls).to.deep.equal(['shared start', 'shared stop']);
  });

  it("stops the role's hooks first, and the shared part even when they fail", async () => {
    const calls: string[] = [];
    const error = await stopPlugin(recordingParts(calls, 'ws'), 'ws').catch((caught: unknown) => caught);
    expect(calls).to.deep.equal(['ws stop', 'shared stop']);
    expect((error as Error).message).to.equal('ws failed');
  });
});
