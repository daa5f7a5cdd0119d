import { expect } from 'chai';
import { parseWevAuthorization, stringToSign, wevSignature } from './wevSignature.js';

describe('editor: WEV request signature', () => {
  it('signs the reference string: METHOD, MD5-hex of the body, Date and the full URL, one per line', () => {
    const toSign = stringToSign('get', '', 'Fri, 30 Dec 2015 16:50:40 UTC', 'https://example.test/api/3/me');
    expect(toSign).to.equal('GET\nd41d8cd98f00b204e9800998ecf8427e\nFri, 30 Dec 2015 16:50:40 UTC\nhttps://example.test/api/3/me');
  });

  it('matches an HMAC-SHA256 computed independently (openssl)', () => {
    // printf 'GET\nd41d8cd98f00b204e9800998ecf8427e\nFri, 30 Dec 2015 16:50:40 UTC\nhttps://example.test/api/3/me' | openssl dgst -sha256 -hmac secret -binary | base64
    const signature = wevSignature('secret', 'GET', '', 'Fri, 30 Dec 2015 16:50:40 UTC', 'https://example.test/api/3/me');
    expect(signature).to.equal(EXPECTED);
  });

  it('reads both header forms and nothing else', () => {
    expect(parseWevAuthorization('WEVSIMPLE abc')).to.deep.equal({ scheme: 'WEVSIMPLE', secret: 'abc' });
    expect(parseWevAuthorization('WEV key:c2ln+/=')).to.deep.equal({ scheme: 'WEV', apiKey: 'key', signature: 'c2ln+/=' });
    expect(parseWevAuthorization('Bearer abc')).to.equal(undefined);
    expect(parseWevAuthorization('WEV nocolon')).to.equal(undefined);
  });
});

const EXPECTED = '6vGAz6gY8cO0x2kCqCxYFqBsnP7Q+Vp+NygTYpEGwFs=';
