// The SFU of the live bench, alone in its process (pinned to one core by the parent with taskset): one engine,
// driven over IPC by the peers' process. mediasoup runs one Worker, which inherits the pinning.
import { engineAvailabilities } from '../plugins/live/src/media/engines.js';
import type { IceCandidate, PublisherEndpoint, SubscriberEndpoint } from '../plugins/live/src/media/mediaEngine.js';
import { IpcRpc } from '../plugins/live/test-support/ipcRpc.js';

const name = process.argv[2];
const availability = engineAvailabilities().find((a) => a.name === name && a.available);
if (!availability) throw new Error(`engine ${name} is not available`);
const engine = await availability.create!({ workers: 1 });
const endpoints = new Map<string, PublisherEndpoint | SubscriberEndpoint>();
const rpc = new IpcRpc(process);
const options = (id: string, sdpOffer: string) => ({
  sdpOffer,
  maxVideoKbps: 0,
  videoCodec: 'VP8',
  onIceCandidate: (candidate: IceCandidate) => rpc.emit('candidate', { id, candidate }),
});

rpc
  .handle('publish', async ({ id, sdpOffer }: { id: string; sdpOffer: string }) => {
    const { sdpAnswer, endpoint } = await engine.publish(options(id, sdpOffer));
    endpoints.set(id, endpoint);
    return sdpAnswer;
  })
  .handle('subscribe', async ({ id, publisherId, sdpOffer }: { id: string; publisherId: string; sdpOffer: string }) => {
    const { sdpAnswer, endpoint } = await engine.subscribe(endpoints.get(publisherId) as PublisherEndpoint, options(id, sdpOffer));
    endpoints.set(id, endpoint);
    return sdpAnswer;
  })
  .handle('candidate', async ({ id, candidate }: { id: string; candidate: IceCandidate }) => endpoints.get(id)?.addIceCandidate(candidate))
  .handle('close', async ({ id }: { id: string }) => {
    await endpoints.get(id)?.close();
    endpoints.delete(id);
  })
  .handle('stop', async () => {
    await engine.close();
    setImmediate(() => process.exit(0));
  });
process.send!({ rpc: 'event', name: 'ready', params: { pid: process.pid } });
