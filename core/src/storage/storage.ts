import type { Readable } from 'node:stream';

/** What is known of a stored object without reading it. */
export interface StoredObject {
  size: number;
  modifiedAt: Date;
  /** Quoted, as in an ETag header. */
  etag: string;
}

/** Inclusive byte offsets, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/** S3 client settings as the AWS SDK v3 takes them (S3ClientConfig), for a library that speaks S3 itself. */
export interface S3ClientSettings {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  credentials: { accessKeyId: string; secretAccessKey: string };
  requestChecksumCalculation: 'WHEN_REQUIRED';
  responseChecksumValidation: 'WHEN_REQUIRED';
}

/** Where a plugin's objects live in the bucket: the object of key `k` is `<prefix>/<k>` in `bucket`. */
export interface BucketLocation {
  clientConfig: S3ClientSettings;
  bucket: string;
  prefix: string;
}

/**
 * A plugin's media store: local disk (the default) or an S3-compatible bucket, chosen in serverConf.json `storage`.
 * Keys are '/'-separated paths the plugin generates; one that would escape the plugin's space is a 404.
 *
 * Media that every process must see (sources, transcode outputs, thumbnails, exports) goes through the object calls
 * (putFile, putTree, getFile, read, copyTree, remove). `resolve` is a folder on this machine's disk: on local storage
 * it is the store itself, on S3 it is only this process's own staging space, never seen by another machine.
 */
export interface Storage {
  readonly kind: 'local' | 's3';
  readonly root: string;
  /** The absolute path of a key in this machine's folder for the plugin; a path that would escape the root is a 404. */
  resolve(relativePath: string): string;
  ensureDir(relativePath: string): Promise<string>;
  /** Removes a key and everything below it; nothing there is no error. */
  remove(relativePath: string): Promise<void>;

  /** Moves a local file into the store under `key` (renamed on local disk, uploaded to S3): the local file is gone after. */
  putFile(key: string, localPath: string): Promise<void>;
  /**
   * Moves every file below a local folder into the store under `prefix`, keeping their relative paths, in place of
   * whatever was stored there: the local folder is gone after.
   */
  putTree(prefix: string, localDir: string): Promise<void>;
  /** Writes a stored object into a local file (a worker's scratch copy); a missing key is a NotFoundError. */
  getFile(key: string, localPath: string): Promise<void>;
  /** Undefined when there is no object at `key`. */
  stat(key: string): Promise<StoredObject | undefined>;
  /** The object's bytes, or the given range of them; a missing key is a NotFoundError. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** The keys below `prefix` (relative to the plugin's space), in no particular order. */
  list(prefix: string): Promise<string[]>;
  /** Copies one object (hard-linked on local disk, copied inside the bucket on S3). */
  copy(from: string, to: string): Promise<void>;
  /** Copies every object below `from` to the same relative keys below `to`, in place of whatever was stored there. */
  copyTree(from: string, to: string): Promise<void>;
  /**
   * Runs `use` with a local file holding the object: the stored file itself on local disk, else a copy fetched into a
   * scratch folder that is removed once `use` settles, whatever happens.
   */
  useLocalCopy<T>(key: string, use: (localPath: string) => Promise<T>): Promise<T>;
  /**
   * Runs `use` with an empty local folder for work in progress, removed once `use` settles. `label` must be unique among
   * the runs at once (a job's id): on local disk the folder is `<root>/.scratch/<label>`, on the store's own disk so
   * that putTree is a rename, and a run that crashed has its leftovers removed by the next run with the same label.
   */
  withScratch<T>(label: string, use: (dir: string) => Promise<T>): Promise<T>;
  /**
   * On S3, where the plugin's space is, for a library that must talk to the bucket itself (tus's S3 store); undefined on
   * local disk. It carries the secret key: never log it.
   */
  bucket(): BucketLocation | undefined;
}
