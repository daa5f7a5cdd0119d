import { defineEvent } from '@mediahost/core';

/**
 * Another plugin hands a media file over to become a video of an owner's library (a live recording, an editor
 * export). It is delivered (`ctx.events.deliver`) from a persisted job of that plugin, which runs again when the
 * delivery fails; the same `source` delivered again gives the same video, never a second one.
 * Declared with the same name and type by each plugin that delivers it (see docs/flows.md).
 */
export interface LibraryImport {
  /** What is handed over, unique on the platform and stable across retries: `<plugin>.<kind>:<id>…`. */
  source: string;
  /** The library it goes to: a subject such as `app:<applicationId>`. */
  owner: string;
  title: string;
  /** A folder at the root of the owner's library, made once per `key` and named `name`. */
  folder?: { key: string; name: string };
  /** A file of this machine, readable only until the delivery settles: the listener keeps its own copy. */
  path: string;
  /** Kept with the video as its origin (session, participants, times; the timeline…). */
  details: Record<string, unknown>;
}

export const LIBRARY_IMPORT = defineEvent<LibraryImport>('library.import');
