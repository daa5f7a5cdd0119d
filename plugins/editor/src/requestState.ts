import type { BrowserSession } from './services/sso.js';

/** What the editor's middleware leaves on ctx.state, merged into the core's request state. */
declare module 'koa' {
  interface DefaultState {
    /** The request body's exact bytes, read once for the WEV signature check. */
    wevRawBody?: Buffer;
    /** The signed-in editor browser session (requireSession). */
    editorSession?: BrowserSession;
  }
}
export {};
