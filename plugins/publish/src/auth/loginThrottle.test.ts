import { expect } from 'chai';
import { LoginThrottle } from './loginThrottle.js';

describe('publish: LoginThrottle', () => {
  let now = 0;
  const throttle = () => new LoginThrottle(3, 60_000, () => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('lets an address fail up to the limit, then refuses it until its oldest failure leaves the window', () => {
    const t = throttle();
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterSeconds('10.0.0.1')).to.equal(0);
      t.fail('10.0.0.1');
      now += 10_000;
    }
    // failures at +0 s, +10 s, +20 s; now +30 s: the first leaves the window at +60 s
    expect(t.retryAfterSeconds('10.0.0.1')).to.equal(30);
    expect(t.retryAfterSeconds('10.0.0.2')).to.equal(0);
    now += 30_000;
    expect(t.retryAfterSeconds('10.0.0.1')).to.equal(0);
  });

  it("forgets an address's failures once it signs in", () => {
    const t = throttle();
    t.fail('10.0.0.1');
    t.fail('10.0.0.1');
    t.succeed('10.0.0.1');
    t.fail('10.0.0.1');
    t.fail('10.0.0.1');
    expect(t.retryAfterSeconds('10.0.0.1')).to.equal(0);
  });
});
