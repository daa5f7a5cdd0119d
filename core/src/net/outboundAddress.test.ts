import { expect } from 'chai';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { OutboundUnreachableError, reachOutbound } from './outboundAddress.js';

describe('reachOutbound', () => {
  let server: net.Server;
  let port: number;

  before(async () => {
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  const refusal = async (promise: Promise<unknown>): Promise<Error> => {
    try {
      await promise;
    } catch (error) {
      expect(error).to.be.instanceOf(OutboundUnreachableError);
      return error as Error;
    }
    throw new Error('expected the target to be refused');
  };

  it('refuses loopback, private, link-local and meta addresses, by literal or by name, unless allowed', async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '10.1.2.3', '192.168.0.1', '169.254.169.254', '0.0.0.0']) {
      const error = await refusal(reachOutbound(host, port, { allowedNetworks: [], timeoutMs: 2000 }));
      expect(error.message, host).to.match(/not allowed/);
    }
  });

  it('returns the address reached when the operator allows the network', async () => {
    expect(await reachOutbound('localhost', port, { allowedNetworks: ['127.0.0.1/32', '::1/128'], timeoutMs: 2000 })).to.be.oneOf(['127.0.0.1', '::1']);
    expect(await reachOutbound('127.0.0.1', port, { allowedNetworks: ['127.0.0.1/32'], timeoutMs: 2000 })).to.equal('127.0.0.1');
  });

  it('refuses an allowed address whose port is closed', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, '127.0.0.1', () => {
        const free = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(free));
      });
    });
    await refusal(reachOutbound('127.0.0.1', closed, { allowedNetworks: ['127.0.0.1'], timeoutMs: 2000 }));
  });
});
