import { expect } from 'chai';
import { pluginUrls } from './pluginUrls.js';

describe('pluginUrls', () => {
  const urls = pluginUrls('publish', { backOffice: 'https://media.example.org', webService: 'http://127.0.0.1:3001' });

  it('gives the paths below the prefixes the core mounts the plugin at', () => {
    expect(urls.webService('/api/uploads')).to.equal('/publish/api/uploads');
    expect(urls.backOffice('/uploads')).to.equal('/be/publish/uploads');
    expect(urls.public('/v/42')).to.equal('/publish/v/42');
    expect(urls.backOffice()).to.equal('/be/publish');
  });

  it('gives absolute URLs on the host each surface is served from', () => {
    expect(urls.absolute.webService('/api/uploads')).to.equal('http://127.0.0.1:3001/publish/api/uploads');
    expect(urls.absolute.backOffice('/uploads')).to.equal('https://media.example.org/be/publish/uploads');
    expect(urls.absolute.public('/v/42')).to.equal('https://media.example.org/publish/v/42');
    expect(urls.absolute.site).to.equal('https://media.example.org');
  });

  it('refuses a path that does not start with /', () => {
    expect(() => urls.public('v/42')).to.throw('starts with "/"');
  });
});
