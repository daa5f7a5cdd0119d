import { expect } from 'chai';
import { apiKeyPrefix, isApiKey, newApiKey } from './apiKeys.js';

describe('publish: VideoCMS API key format', () => {
  it('makes ak_ and 64 lowercase hex characters, different every time', () => {
    const keys = new Set(Array.from({ length: 50 }, newApiKey));
    expect(keys.size).to.equal(50);
    for (const key of keys) {
      expect(key).to.match(/^ak_[0-9a-f]{64}$/);
      expect(key).to.have.length(67);
      expect(isApiKey(key)).to.equal(true);
    }
  });

  it('recognises only well-formed keys, so a malformed one never reaches the database', () => {
    const key = newApiKey();
    for (const bad of [key.toUpperCase(), `${key}0`, key.slice(0, -1), `ak_${'g'.repeat(64)}`, `ak-${key.slice(3)}`, '']) expect(isApiKey(bad), bad).to.equal(false);
  });

  it('keeps the first 8 characters for display', () => {
    expect(apiKeyPrefix(`ak_3f9a1${'0'.repeat(59)}`)).to.equal('ak_3f9a1...');
  });
});
