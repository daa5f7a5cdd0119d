import { expect } from 'chai';
import { Readable } from 'node:stream';
import { CreateMultipartUploadCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@tus/server';
import { s3ClientSettings } from '../../../../core/src/storage/s3Storage.js';
import { startSeaweedfs, type S3Server } from '../../../../test/support/seaweedfs.js';
import { BucketUploadStore } from './bucketUploadStore.js';

describe('BucketUploadStore: tus uploads below <plugin>/uploads in the bucket', function () {
  this.timeout(60_000);
  let s3: S3Server;
  let client: S3Client;
  let location: ConstructorParameters<typeof BucketUploadStore>[0];

  const keys = async (prefix: string) => ((await client.send(new ListObjectsV2Command({ Bucket: s3.settings.bucket, Prefix: prefix }))).Contents ?? []).map((o) => o.Key!);
  const multipartKeys = async () => ((await client.send(new ListMultipartUploadsCommand({ Bucket: s3.settings.bucket }))).Uploads ?? []).map((u) => u.Key!);
  const begin = async (store: BucketUploadStore, id: string, bytes: string) => {
    await store.create(new Upload({ id, size: 100, offset: 0, metadata: { filename: `${id}.mp4`, mh_owner: 'owner-1' } }));
    await store.write(Readable.from([Buffer.from(bytes)]), id, 0);
  };

  before(async () => {
    s3 = await startSeaweedfs('mediahost-tus-store');
    client = new S3Client(s3ClientSettings(s3.settings));
    location = { clientConfig: s3ClientSettings(s3.settings), bucket: s3.settings.bucket, prefix: 'publish' };
  });
  after(async () => {
    client?.destroy();
    await s3?.stop();
  });

  it('keys every upload below the folder, answers with the bare id, and hides the owner mark from tus only', async () => {
    const store = new BucketUploadStore(location, 3600_000);
    await begin(store, 'plain', '0123456789');
    expect(await keys('publish/uploads/')).to.include.members(['publish/uploads/plain.info', 'publish/uploads/plain.part']);
    expect(await store.uploadIds()).to.deep.equal(['plain']);
    const upload = await store.getUpload('plain');
    expect(upload).to.include({ id: 'plain', offset: 10, size: 100 });
    expect(upload.metadata).to.deep.equal({ filename: 'plain.mp4' });
    expect((await store.ownedUpload('plain')).metadata).to.include({ mh_owner: 'owner-1' });

    await store.forget('plain');
    expect(await keys('publish/uploads/')).to.deep.equal([]);
    expect(await multipartKeys()).to.not.include('publish/uploads/plain');
    await store.forget('plain');
  });

  it('sweeps uploads older than the expiry, finished or not, and multipart uploads a crash left without metadata', async () => {
    const lasting = new BucketUploadStore(location, 3600_000);
    const expiring = new BucketUploadStore(location, 1);
    await begin(lasting, 'stale', 'abc');
    const other = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.settings.bucket, Key: 'editor/exports/big.mp4' }));
    const orphan = await client.send(new CreateMultipartUploadCommand({ Bucket: s3.settings.bucket, Key: 'publish/uploads/orphan' }));
    expect(other.UploadId && orphan.UploadId).to.be.a('string');

    expect(await lasting.deleteExpired()).to.equal(0);
    expect(await lasting.removeLeftovers(3600_000)).to.equal(0);
    expect(await lasting.uploadIds()).to.deep.equal(['stale']);

    // S3 dates have a resolution of a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await expiring.deleteExpired()).to.equal(1);
    expect(await keys('publish/uploads/')).to.deep.equal([]);
    expect(await expiring.removeLeftovers(0, Date.now() + 2000)).to.equal(1);
    expect(await multipartKeys(), 'another plugin’s upload in progress is not the store’s to sweep').to.deep.equal(['editor/exports/big.mp4']);
  });
});
