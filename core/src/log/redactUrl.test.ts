import { expect } from 'chai';
import { redactUrl } from './redactUrl.js';

describe('redactUrl: URLs fit for a log', () => {
  it('replaces userinfo and the values of credential query parameters, keeping the rest', () => {
    expect(redactUrl('https://hook:S3cret@example.test/in?token=abc&event=x')).to.equal('https://REDACTED@example.test/in?token=REDACTED&event=x');
    expect(redactUrl('http://127.0.0.1:9/h?api_key=k&Access-Token=t&page=2')).to.equal('http://127.0.0.1:9/h?api_key=REDACTED&Access-Token=REDACTED&page=2');
  });
  it('redacts request paths too, and leaves clean URLs unchanged', () => {
    expect(redactUrl('/editor/sso?token=abc')).to.equal('/editor/sso?token=REDACTED');
    expect(redactUrl('https://example.test/plain?event=x')).to.equal('https://example.test/plain?event=x');
  });
});
