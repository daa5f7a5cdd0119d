import * as tus from 'tus-js-client';

export interface TusOptions {
  endpoint?: string;
  uploadUrl?: string;
  headers: Record<string, string>;
  metadata?: Record<string, string>;
  chunkSize?: number;
  onProgress?: (sent: number, upload: tus.Upload) => void;
  /** Each time the server has accepted a chunk: the bytes it holds. */
  onChunkComplete?: (accepted: number, upload: tus.Upload) => void;
}

/** Uploads a buffer with the official tus client, retrying through outages as a browser would. */
export function tusUpload(data: Buffer, { endpoint, uploadUrl, headers, metadata = {}, chunkSize = 1024 * 1024, onProgress, onChunkComplete }: TusOptions): { done: Promise<string>; upload: tus.Upload } {
  let upload!: tus.Upload;
  const done = new Promise<string>((resolve, reject) => {
    upload = new tus.Upload(data, {
      endpoint,
      uploadUrl,
      headers,
      metadata,
      chunkSize,
      retryDelays: [200, 500, 1000, 1000, 2000, 2000, 3000, 3000, 5000],
      storeFingerprintForResuming: false,
      onProgress: (sent) => onProgress?.(sent, upload),
      onChunkComplete: (_chunk, accepted) => onChunkComplete?.(accepted, upload),
      onError: reject,
      onSuccess: () => resolve(upload.url!),
    });
    upload.start();
  });
  return { done, upload };
}

/** Uploads with tus and finalizes: the created file entity. */
export async function uploadFile(wsUrl: string, headers: Record<string, string>, data: Buffer, filename: string): Promise<{ status: number; body: any }> {
  const url = await tusUpload(data, { endpoint: `${wsUrl}/publish/api/uploads`, headers, metadata: { filename } }).done;
  const response = await fetch(`${wsUrl}/publish/api/uploads/${url.split('/').pop()}/finalize`, { method: 'POST', headers });
  return { status: response.status, body: await response.json() };
}
