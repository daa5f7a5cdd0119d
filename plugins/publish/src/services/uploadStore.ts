import type { DataStore, Upload } from '@tus/server';

export const OWNER_KEY = 'mh_owner';
/** The session's numeric ID, VideoCMS's UploadSession.ID. */
export const SESSION_KEY = 'mh_session';

/** An upload's metadata as the client gave it: without our ownership and session marks. */
export function withoutOwner(metadata: Record<string, string | null>): Record<string, string | null> {
  const { [OWNER_KEY]: _owner, [SESSION_KEY]: _session, ...rest } = metadata;
  return rest;
}

/**
 * Where tus keeps uploads in progress: a tus datastore that keeps our ownership mark to itself (tus echoes an upload's
 * metadata to HEAD, and mh_owner is not the client's) and knows its uploads. A complete upload's bytes are the plugin
 * storage's object `uploads/<id>` on either backend.
 */
export interface UploadStore extends DataStore {
  /** The upload with its owner mark; a missing one throws. */
  ownedUpload(id: string): Promise<Upload>;
  uploadIds(): Promise<string[]>;
  /** Removes an upload's bytes and metadata, finished or not; a missing one is no error. */
  forget(id: string): Promise<void>;
  /** Removes what a crash can leave half made, once older than `maxAgeMs`; returns how many. */
  removeLeftovers(maxAgeMs: number): Promise<number>;
}
