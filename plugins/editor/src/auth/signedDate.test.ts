import { expect } from 'chai';
import { parseSignedDate } from './signedDate.js';

describe('editor: the Date of a signed request', () => {
  const utc = Date.UTC(2026, 10, 23, 9, 0, 0);

  it('reads the forms of the reference recipes: Python (UTC), Java (its JVM zone), PHP (T), C# (R)', () => {
    expect(parseSignedDate('Mon, 23 Nov 2026 09:00:00 UTC')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 09:00:00 GMT')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 10:00:00 CET')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 11:00:00 CEST')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 03:00:00 MDT')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 18:00:00 JST')).to.equal(utc);
    expect(parseSignedDate('Mon, 23 Nov 2026 11:00:00 +0200')).to.equal(utc);
  });

  it('gives NaN for what is not a date or names an unknown zone', () => {
    expect(parseSignedDate('yesterday')).to.be.NaN;
    expect(parseSignedDate('Mon, 23 Nov 2026 09:00:00 XYZ')).to.be.NaN;
    expect(parseSignedDate('')).to.be.NaN;
  });
});
