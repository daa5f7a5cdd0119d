import { expect } from 'chai';
import { generateSecret, hashSecret, secretMatches } from './secrets.js';

describe('secrets', () => {
  it('generates distinct 256-bit URL-safe secrets', () => {
    const a = generateSecret();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(generateSecret()).to.not.equal(a);
  });

  it('stores a hash that matches only its secret', () => {
    const secret = generateSecret();
    const hash = hashSecret(secret);
    expect(hash).to.not.contain(secret);
    expect(secretMatches(secret, hash)).to.equal(true);
    expect(secretMatches(`${secret}x`, hash)).to.equal(false);
    expect(secretMatches(secret, 'not-hex')).to.equal(false);
  });
});
