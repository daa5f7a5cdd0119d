import type { Readable } from 'node:stream';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import type { KvStore, Upload } from '@tus/server';
import type { BucketLocation } from '@mediahost/core';
import { withoutOwner, type UploadStore } from './uploadStore.js';

/**
 * S3Store keeps each upload's metadata in a process's memory once read. Every process must read the bucket instead:
 * another web service may have taken the upload further, finished or forgotten it since.
 */
class NoCache implements KvStore<MetadataValue> {
  async get(): Promise<undefined> {
    return undefined;
  }
  async set(): Promise<void> {}
  async delete(): Promise<void> {}
}

const isMissing = (error: unknown) => ['NoSuchKey', 'NoSuchUpload', 'NotFound'].includes((error as { name?: string } | undefined)?.name ?? '');

/**
 * Uploads in progress in the plugin's space of the bucket, below `<prefix>/uploads/`, so that any web-service process
 * continues an upload another one began (no sticky load balancer). S3Store names objects after the upload id itself:
 * the id tus hands in is keyed below that folder on the way in, and given back bare on the way out. The upload's bytes
 * become the object `uploads/<id>` of the plugin's storage once complete.
 */
export class BucketUploadStore extends S3Store implements UploadStore {
  private readonly folder: string;

  constructor(location: BucketLocation, expiryMs: number) {
    // No tags: the expiry is swept here, and tags would only serve bucket lifecycle rules.
    super({ s3ClientConfig: { ...location.clientConfig, bucket: location.bucket }, expirationPeriodInMilliseconds: expiryMs, useTags: false, cache: new NoCache() });
    this.folder = `${location.prefix}/uploads`;
  }

  private key(id: string): string {
    return `${this.folder}/${id}`;
  }

  override async create(upload: Upload): Promise<Upload> {
    const id = upload.id;
    upload.id = this.key(id);
    try {
      return await super.create(upload);
    } finally {
      upload.id = id;
    }
  }

  override write(readable: Readable, id: string, offset: number): Promise<number> {
    return super.write(readable, this.key(id), offset);
  }

  override async getUpload(id: string): Promise<Upload> {
    const upload = await this.ownedUpload(id);
    if (upload.metadata) upload.metadata = withoutOwner(upload.metadata);
    return upload;
  }

  async ownedUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(this.key(id));
    upload.id = id;
    return upload;
  }

  override declareUploadLength(id: string, length: number): Promise<void> {
    return super.declareUploadLength(this.key(id), length);
  }

  override read(id: string): Promise<Readable> {
    return super.read(this.key(id));
  }

  override remove(id: string): Promise<void> {
    return this.forget(id);
  }

  async uploadIds(): Promise<string[]> {
    return (await this.objectsBelow()).filter(({ key }) => key.endsWith('.info')).map(({ key }) => key.slice(this.folder.length + 1, -'.info'.length));
  }

  async forget(id: string): Promise<void> {
    const key = this.key(id);
    const uploadId = await this.getMetadata(key).then(
      (metadata) => metadata['upload-id'],
      () => undefined,
    );
    if (uploadId) await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: key, UploadId: uploadId }).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
    await this.client.deleteObjects({ Bucket: this.bucket, Delete: { Objects: [{ Key: key }, { Key: this.infoKey(key) }, { Key: this.partKey(key, true) }], Quiet: true } });
  }

  /** Uploads created longer than the expiry ago, finished or not: S3Store's own sweep would abort every multipart upload of the bucket. */
  override async deleteExpired(): Promise<number> {
    if (this.getExpiration() === 0) return 0;
    const cutoff = Date.now() - this.getExpiration();
    let removed = 0;
    for (const { key, modifiedAt } of await this.objectsBelow()) {
      if (!key.endsWith('.info') || modifiedAt > cutoff) continue;
      await this.forget(key.slice(this.folder.length + 1, -'.info'.length));
      removed += 1;
    }
    return removed;
  }

  /** Multipart uploads begun whose metadata was never written (a crash between the two), once older than `maxAgeMs`. */
  async removeLeftovers(maxAgeMs: number, now = Date.now()): Promise<number> {
    const known = new Set((await this.uploadIds()).map((id) => this.key(id)));
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.listMultipartUploads({ Bucket: this.bucket, Prefix: `${this.folder}/`, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker });
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || known.has(upload.Key) || now - (upload.Initiated?.getTime() ?? now) <= maxAgeMs) continue;
        await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId });
        removed += 1;
      }
      [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (keyMarker);
    return removed;
  }

  private async objectsBelow(): Promise<{ key: string; modifiedAt: number }[]> {
    const objects: { key: string; modifiedAt: number }[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.listObjectsV2({ Bucket: this.bucket, Prefix: `${this.folder}/`, ContinuationToken: token });
      for (const object of page.Contents ?? []) if (object.Key) objects.push({ key: object.Key, modifiedAt: object.LastModified?.getTime() ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return objects;
  }
}
