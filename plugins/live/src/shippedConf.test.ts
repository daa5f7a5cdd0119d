import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { liveConfigSchema } from './config.js';

describe('the shipped conf/liveConf.json', () => {
  it('is valid and holds the defaults, so shipping it changes nothing', async () => {
    const shipped = JSON.parse(await readFile(new URL('../../../conf/liveConf.json', import.meta.url), 'utf8'));
    expect(liveConfigSchema.parse(shipped)).to.deep.equal(liveConfigSchema.parse({}));
    expect(shipped).to.deep.equal(liveConfigSchema.parse({}));
  });
});
