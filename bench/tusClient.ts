import { createReadStream } from 'node:fs';
import path from 'node:path';
import * as tus from 'tus-js-client';

/**
 * Uploads a file from disk to the publish plugin's tus endpoint with the official client, as one streamed PATCH
 * (tus-js-client's default for a file); no retries, so a failure fails the bench. Resolves to the upload URL.
 */
export function tusUploadFile(wsUrl: string, token: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(createReadStream(file), {
      endpoint: `${wsUrl}/publish/api/uploads`,
      headers: { authorization: `Bearer ${token}` },
      metadata: { filename: path.basename(file) },
      retryDelays: null,
      storeFingerprintForResuming: false,
      onError: reject,
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
}

/** Deletes an upload nobody will finalize (tus termination), so its bytes leave the platform's storage. */
export async function terminateUpload(uploadUrl: string, token: string): Promise<void> {
  const response = await fetch(uploadUrl, { method: 'DELETE', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
  if (response.status !== 204) throw new Error(`DELETE ${uploadUrl} answered ${response.status}: ${await response.text()}`);
}
