import type { Principal } from '../identity/principal.js';

/** What the web service's authentication leaves on ctx.state (see http/requestState.ts for the rest). */
declare module 'koa' {
  interface DefaultState {
    /** The web-service caller, once authenticated (Bearer or one of a plugin's webServiceAuth schemes). */
    principal?: Principal;
  }
}
export {};
