import { defineEvent, defineJob, jobType, type EventBus, type Storage } from '@mediahost/core';
import type { ExportDoc } from '../models/exportJob.js';
import type { Exports } from '../services/exports.js';
import type { Instances } from '../services/instances.js';
import { mediaLayout } from '../services/mediaLayout.js';

/** publish's hand-over event, declared here with the fields the editor sends (see plugins/publish/src/libraryEvents.ts, docs/flows.md). */
interface LibraryImport {
  source: string;
  owner: string;
  title: string;
  path: string;
  details: Record<string, unknown>;
}
const LIBRARY_IMPORT = defineEvent<LibraryImport>('library.import');

export const PUBLISH_EXPORT = jobType<{ exportId: string }>('publishExport');

interface Deps {
  exports: Exports;
  instances: Instances;
  storage: Storage;
  events: EventBus;
  /** The editor on a timeline, the link the video keeps. */
  editorUrl: (timelineId: number) => string;
}

/**
 * Hands a completed export over to the publish library of the application its instance belongs to, with the export's
 * title and the timeline it came from. publish takes the same export once, however often this runs.
 */
export function publishExportJob(deps: Deps) {
  return defineJob(
    PUBLISH_EXPORT,
    async ({ exportId }) => {
      const doc = await deps.exports.exports.findById(exportId).lean<ExportDoc>();
      if (!doc || doc.status !== 'COMPLETED' || doc.fileId === undefined) return;
      const instance = await deps.instances.get(doc.instanceId);
      await deps.storage.useLocalCopy(mediaLayout.source(doc.fileId, 'source.mp4'), (path) =>
        deps.events.deliver(LIBRARY_IMPORT, {
          source: `editor.export:${doc._id}`,
          owner: `app:${instance.applicationId}`,
          title: doc.title,
          path,
          details: { kind: 'editor-export', exportId: doc._id, timelineId: doc.timelineId, timelineUrl: deps.editorUrl(doc.timelineId), instanceId: doc.instanceId, userId: doc.userId },
        }),
      );
    },
    { concurrency: 1, maxRetries: 5, retryDelayMs: 5_000 },
  );
}
