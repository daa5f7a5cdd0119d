import type { Model, Storage } from '@mediahost/core';
import type { Claims } from '../models/claim.js';
import type { FileDoc } from '../models/file.js';
import type { FileLifecycle } from './fileLifecycle.js';
import { mediaLayout } from './mediaLayout.js';

const leadKey = (sha256: string) => `transcode:${sha256}`;
/** Per leader: a file that gave up on a failed or vanished leader must not be settled by it later. */
const settleKey = (followerId: string, leaderId: string) => `settle:${followerId}:${leaderId}`;
/** A leader that cannot be followed (gone, failed) is stepped over this many times before a file transcodes alone. */
const MAX_TAKEOVERS = 3;

export type TranscodeRole = 'lead' | 'follow';

/**
 * Identical bytes arriving at the same time are transcoded once: the first file to claim the bytes' hash leads (its
 * transcode job runs), the others wait on it and get its media hard-linked when it is ready, or its error if it fails.
 * A waiting file is settled by whichever comes second: the leader's sweep when it finishes, or the follower's own look
 * at a leader that already finished. Both may try; the settle claim lets one act.
 */
export class SharedTranscodes {
  constructor(
    private readonly files: Model<FileDoc>,
    private readonly storage: Storage,
    private readonly claims: Claims,
    private readonly lifecycle: FileLifecycle,
  ) {}

  /** Decides whether a new processing `file` transcodes (lead) or waits on another file with the same bytes (follow). */
  async join(file: FileDoc): Promise<TranscodeRole> {
    for (let takeover = 0; takeover < MAX_TAKEOVERS; takeover += 1) {
      if (await this.claims.claim(leadKey(file.sha256), file._id)) return 'lead';
      const leaderId = await this.claims.holder(leadKey(file.sha256));
      if (!leaderId) continue;
      // waiting is recorded before the leader is read: a leader finishing after the read finds this file in its sweep
      await this.lifecycle.follow(file._id, leaderId);
      const leader = await this.files.findById(leaderId).lean<FileDoc>();
      if (leader?.status === 'processing') return 'follow';
      if (leader?.status === 'ready') {
        await this.settle(file._id, leader);
        return 'follow';
      }
      // the leader is gone or failed for good: step over it, unless its sweep already settled this file
      if (!(await this.claims.claim(settleKey(file._id, leaderId)))) return 'follow';
      await this.claims.release(leadKey(file.sha256), leaderId);
    }
    return 'lead';
  }

  /** After a leader's transcode ended for good (ready or failed): settles the files waiting on it, then frees its bytes' hash. */
  async finished(leader: FileDoc): Promise<void> {
    const waiting = await this.files.find({ sha256: leader.sha256, 'encoding.status': 'waiting', 'encoding.sharedFrom': leader._id }).lean<FileDoc[]>();
    for (const follower of waiting) await this.settle(follower._id, leader);
    await this.claims.release(leadKey(leader.sha256), leader._id);
  }

  /** Whether `file` waits on a leader that will never settle it (gone, or no longer processing), so it may be retried. */
  async isStranded(file: FileDoc): Promise<boolean> {
    if (file.encoding.status !== 'waiting' || !file.encoding.sharedFrom) return false;
    const leader = await this.files.findById(file.encoding.sharedFrom).lean<FileDoc>();
    if (leader?.status === 'processing') return false;
    // taking the settle claim keeps a leader that is just finishing from settling the file too
    return this.claims.claim(settleKey(file._id, file.encoding.sharedFrom));
  }

  private async settle(followerId: string, leader: FileDoc): Promise<void> {
    if (!(await this.claims.claim(settleKey(followerId, leader._id)))) return;
    // a follower deleted meanwhile must not get a media folder back
    if (!(await this.files.exists({ _id: followerId }))) return;
    if (leader.status === 'ready') {
      await this.storage.copyTree(mediaLayout.media(leader._id), mediaLayout.media(followerId));
    }
    await this.lifecycle.settle(followerId, leader);
  }
}
