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

describe('sealed secrets', () => {
  it('opens what it sealed, and nothing sealed under another key or altered', async () => {
    const { SecretSealer } = await import('./sealedSecrets.js');
    const sealer = new SecretSealer('key material');
    const sealed = sealer.seal('s3cret');
    expect(sealed).to.not.contain('s3cret');
    expect(sealer.open(sealed)).to.equal('s3cret');
    expect(new SecretSealer('other key').open(sealed)).to.equal(undefined);
    expect(sealer.open(`${sealed.slice(0, -2)}AA`)).to.equal(undefined);
    expect(sealer.open('garbage')).to.equal(undefined);
  });
});
