import { expect } from 'chai';
import { MediaCookie } from './mediaCookie.js';

describe('MediaCookie', () => {
  const cookie = new MediaCookie('a secret for tests', 60);
  const id = '0b0c6f7e-2c4e-4a5b-9a0e-1f2e3d4c5b6a';

  it('opens the media of the file it was issued for, until it expires', () => {
    const now = Date.now();
    const value = cookie.issue(id, now);
    expect(cookie.opens(value, id, now)).to.equal(true);
    expect(cookie.opens(value, id, now + 59_000)).to.equal(true);
    expect(cookie.opens(value, id, now + 61_000)).to.equal(false);
  });

  it('opens nothing else, and cannot be forged or stretched', () => {
    const value = cookie.issue(id);
    const [, expires, signature] = value.split('.');
    expect(cookie.opens(value, '11111111-2c4e-4a5b-9a0e-1f2e3d4c5b6a')).to.equal(false);
    expect(cookie.opens(`${id}.${Number(expires) + 3600}.${signature}`, id)).to.equal(false);
    expect(cookie.opens(new MediaCookie('another secret', 60).issue(id), id)).to.equal(false);
    for (const junk of [undefined, '', 'x', `${id}..`, `${id}.abc.def`]) expect(cookie.opens(junk, id)).to.equal(false);
  });
});
