import { NotFoundError } from '../errors.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';

/**
 * Who asks for a stored media: an application calling the web service (its `subject` owns what it creates,
 * "app:<applicationId>") or a signed-in back-office user with what their roles grant.
 */
export type MediaRequester = { kind: 'application'; applicationId: string; subject: string } | { kind: 'user'; user: BackOfficeUser };

/** A media another plugin keeps in its storage, opened for reading: no HTTP, no download. */
export interface StoredMedia {
  /** The plugin that keeps it. */
  provider: string;
  /** Its id at the provider. */
  id: string;
  title: string;
  durationSeconds: number;
  /** A file name for it: its extension says the container. */
  fileName: string;
  /**
   * Runs `use` with a local file holding the media: the stored file itself on local disk (read it, never move or change
   * it), a scratch copy on S3 that is removed once `use` settles.
   */
  useLocalCopy<T>(use: (localPath: string) => Promise<T>): Promise<T>;
}

/** What a plugin registers to let others open the media its URLs name. */
export interface StoredMediaResolver {
  /** The plugin that registers it. */
  provider: string;
  /** Whether the URL names one of its media, whoever may see it: such a URL is resolved, never fetched. */
  recognizes(url: URL): boolean;
  /** The media the URL names when the requester may read it; undefined when it does not exist or is not theirs. */
  resolve(url: URL, requester: MediaRequester): Promise<StoredMedia | undefined>;
}

/** A back-office action another plugin offers on stored media ("Open in editor"): shown by the provider's pages. */
export interface StoredMediaOpener {
  label: string;
  /** A back-office path taking `POST { url }` (CSRF-checked, as the signed-in user) and answering 202 `{ ticket }`. */
  action: string;
}

/** The message of every refusal, so that another tenant's media cannot be told from one that does not exist. */
export const MEDIA_NOT_FOUND = 'No such media';

/**
 * The media the plugins of this process keep and let each other open by URL, without importing each other: a provider
 * (publish) registers a resolver in its setup, a consumer (editor) asks before treating a URL as a web URL.
 */
export class StoredMediaRegistry {
  private readonly resolvers: StoredMediaResolver[] = [];
  private readonly actions: StoredMediaOpener[] = [];

  register(resolver: StoredMediaResolver): void {
    this.resolvers.push(resolver);
  }

  /** Offers a back-office action on every stored media (a consumer, in its setup). */
  addOpener(opener: StoredMediaOpener): void {
    this.actions.push(opener);
  }

  /** The actions offered, for a provider's back-office pages to show beside each media. */
  openers(): readonly StoredMediaOpener[] {
    return this.actions;
  }

  /** Whether a provider of this process recognizes the URL (no lookup: it says nothing of whether the media exists). */
  recognizes(url: string): boolean {
    return this.resolverOf(url) !== undefined;
  }

  /**
   * undefined when no provider recognizes the URL (a web URL, the caller's to fetch); else the media, or a NotFoundError
   * worded the same whether the media does not exist or is not the requester's.
   */
  async resolve(url: string, requester: MediaRequester): Promise<StoredMedia | undefined> {
    const found = this.resolverOf(url);
    if (!found) return undefined;
    const media = await found.resolver.resolve(found.parsed, requester);
    if (!media) throw new NotFoundError(MEDIA_NOT_FOUND);
    return media;
  }

  private resolverOf(url: string): { resolver: StoredMediaResolver; parsed: URL } | undefined {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    const resolver = this.resolvers.find((candidate) => candidate.recognizes(parsed));
    return resolver && { resolver, parsed };
  }
}
