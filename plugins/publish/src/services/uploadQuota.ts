import { PayloadTooLargeError } from '@mediahost/core';

export interface QuotaLimits {
  /** One upload's declared length. */
  maxUploadBytes: number;
  /** The declared lengths of an owner's uploads not yet turned into files, summed. */
  maxPendingUploadBytes: number;
  /** An owner's files plus their pending uploads. */
  maxStoredBytes: number;
}

/** Decides whether an owner may declare one more upload of `declared` bytes; the refusal says which limit and by how much. */
export function assertWithinQuota(limits: QuotaLimits, declared: number, pendingBytes: number, storedBytes: number): void {
  if (declared > limits.maxUploadBytes) {
    throw new PayloadTooLargeError(`Upload of ${declared} bytes exceeds the limit of ${limits.maxUploadBytes} bytes per upload`);
  }
  if (pendingBytes + declared > limits.maxPendingUploadBytes) {
    throw new PayloadTooLargeError(
      `Upload quota exceeded: unfinished uploads would total ${pendingBytes + declared} bytes, the limit is ${limits.maxPendingUploadBytes} bytes; finish or delete some first`,
    );
  }
  assertRoomToStore(limits, declared, pendingBytes, storedBytes);
}

/** For bytes received whole (direct upload): only the storage quota applies, as they are never pending. */
export function assertRoomToStore(limits: QuotaLimits, declared: number, pendingBytes: number, storedBytes: number): void {
  if (storedBytes + pendingBytes + declared > limits.maxStoredBytes) {
    throw new PayloadTooLargeError(`Storage quota exceeded: ${storedBytes + pendingBytes} of ${limits.maxStoredBytes} bytes already used or reserved`);
  }
}
