import type { Upload } from '@tus/server';
import type { FileDoc } from '../models/file.js';
import { NotMediaUploadError, type Ingest } from './ingest.js';
import type { TusUploads } from './tusUploads.js';

/** Turns a complete tus upload of the owner's into a file; the upload is forgotten once its bytes are taken (or refused). */
export async function finalizeUpload(
  tus: TusUploads,
  ingest: Ingest,
  uploadId: string,
  owner: string,
  folderOf: (upload: Upload) => Promise<number | null>,
): Promise<{ file: FileDoc; upload?: Upload }> {
  const already = await ingest.fromUpload(owner, uploadId);
  if (already) return { file: already };
  return tus.withCompleted(uploadId, owner, async (path, upload) => {
    const folderId = await folderOf(upload);
    try {
      const file = await ingest.ingest({ owner, path, name: upload.metadata!.filename!, folderId, uploadId: upload.id });
      await tus.forget(upload.id);
      return { file, upload };
    } catch (error) {
      // ingest already removed the bytes of a file that is not media
      if (error instanceof NotMediaUploadError) await tus.forget(upload.id);
      throw error;
    }
  });
}
