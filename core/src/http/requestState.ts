import type { ErrorFormat } from './errorHandler.js';

/**
 * What the core's middleware leaves on ctx.state for the handlers after it. Plugins add their own keys by merging
 * into the same interface (`declare module 'koa' { interface DefaultState { … } }`), so no handler casts ctx.state. The caller's is in auth/requestState.ts, the back office's in backoffice/requestState.ts.
 */
declare module 'koa' {
  interface DefaultState {
    /** The module an error is reported from: the plugin mounted there, or "core". */
    module?: string;
    /** The error body shape of the API a route imitates (openveoErrorFormat when unset). */
    errorFormat?: ErrorFormat;
    /** The WWW-Authenticate header a 401 answers with. */
    authChallenge?: string;
  }
}
export {};
