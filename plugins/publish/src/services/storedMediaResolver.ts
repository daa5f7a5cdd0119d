import { grantsPermission, type MediaRequester, type Model, type PluginUrls, type Storage, type StoredMedia, type StoredMediaResolver } from '@mediahost/core';
import type { FileDoc } from '../models/file.js';
import { mediaLayout } from './mediaLayout.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

interface ResolverDeps {
  files: Model<FileDoc>;
  storage: Storage;
  urls: PluginUrls;
  /** The back-office permission that sees every owner's files. */
  managePermission: string;
}

/** Whether the requester may read the file: its owning application, its owning user, or a manager of every file. */
export function mayRead(file: Pick<FileDoc, 'owner'>, requester: MediaRequester, managePermission: string): boolean {
  if (requester.kind === 'application') return file.owner === requester.subject;
  return file.owner === `user:${requester.user.id}` || grantsPermission(requester.user, managePermission);
}

/**
 * Lets other plugins open a video by the URL of its player page, as this platform answers it (`link` of the videos API,
 * absolute on the back office's base URL): the source as received, read from storage. A URL of another host is not ours.
 */
export function storedMediaResolver({ files, storage, urls, managePermission }: ResolverDeps): StoredMediaResolver {
  const origin = new URL(urls.absolute.site).origin;
  const playerPage = new RegExp(`^${escapeRegex(urls.public('/v/'))}(${UUID})/?$`);
  const fileIdOf = (url: URL) => (url.origin === origin ? playerPage.exec(url.pathname)?.[1] : undefined);

  return {
    provider: 'publish',
    recognizes: (url) => fileIdOf(url) !== undefined,
    async resolve(url, requester): Promise<StoredMedia | undefined> {
      const id = fileIdOf(url);
      const file = id ? await files.findById(id).lean<FileDoc>() : null;
      if (!file || file.status === 'failed' || !mayRead(file, requester, managePermission)) return undefined;
      const key = mediaLayout.source(file._id, file.sourceName);
      if (!(await storage.stat(key))) return undefined;
      return {
        provider: 'publish',
        id: file._id,
        title: file.name,
        durationSeconds: file.durationSeconds,
        fileName: file.sourceName,
        useLocalCopy: (use) => storage.useLocalCopy(key, use),
      };
    },
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
