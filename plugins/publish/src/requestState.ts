import type { FileDoc } from './models/file.js';

/** What publish's middleware leaves on ctx.state, merged into the core's request state. */
declare module 'koa' {
  interface DefaultState {
    /** The ready file a media route serves, found by its uuid before the route runs. */
    file?: FileDoc;
  }
}
export {};
