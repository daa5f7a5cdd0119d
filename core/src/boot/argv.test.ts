import { expect } from 'chai';
import { parseInvocation, UsageError } from './argv.js';

describe('parseInvocation', () => {
  it('starts the back office by default and the web service with -ws or --ws', () => {
    expect(parseInvocation([]).command).to.deep.equal({ kind: 'serve', role: 'app' });
    expect(parseInvocation(['-ws']).command).to.deep.equal({ kind: 'serve', role: 'ws' });
    expect(parseInvocation(['--ws', '--conf', '/etc/mh']).confDir).to.equal('/etc/mh');
    expect(parseInvocation(['-worker']).command).to.deep.equal({ kind: 'serve', role: 'worker' });
  });

  it('parses the admin commands', () => {
    expect(parseInvocation(['--create-user', 'a@b.c', '--password-stdin', '--role', 'admin']).command).to.deep.equal({ kind: 'create-user', email: 'a@b.c', role: 'admin' });
    expect(parseInvocation(['--create-application', 'CMS', '--scopes', 'publish, live']).command).to.deep.equal({ kind: 'create-application', name: 'CMS', scopes: ['publish', 'live'] });
    expect(parseInvocation(['--rotate-token-key']).command).to.deep.equal({ kind: 'rotate-token-key' });
  });

  it('refuses a password on the command line, unknown flags and two modes at once', () => {
    expect(() => parseInvocation(['--create-user', 'a@b.c'])).to.throw(UsageError, /password-stdin/);
    expect(() => parseInvocation(['--frobnicate'])).to.throw(UsageError);
    expect(() => parseInvocation(['-ws', '-worker'])).to.throw(UsageError, /one of/);
  });
});
