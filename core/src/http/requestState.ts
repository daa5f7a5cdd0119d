import type { Principal } from '../auth/principal.js';
import type { NavEntry } from '../backoffice/navigation.js';
import type { BackOfficeUser } from '../plugins/contract.js';
import type { ErrorFormat } from './errorHandler.js';

/**
 * What the core's middleware leaves on ctx.state for the handlers after it. Plugins add their own keys by merging
 * into the same interface (`declare module 'koa' { interface DefaultState { … } }`), so no handler casts ctx.state.
 */
declare module 'koa' {
  interface DefaultState {
    /** The web-service caller, once authenticated (Bearer or one of a plugin's webServiceAuth schemes). */
    principal?: Principal;
    /** The signed-in back-office user. */
    user?: BackOfficeUser;
    /** The module an error is reported from: the plugin mounted there, or "core". */
    module?: string;
    /** The error body shape of the API a route imitates (openveoErrorFormat when unset). */
    errorFormat?: ErrorFormat;
    /** The WWW-Authenticate header a 401 answers with. */
    authChallenge?: string;
    /** The back-office pages offered in the navigation, filtered per user when a page renders. */
    navEntries?: NavEntry[];
    /** koa-csrf's token for the back-office forms. */
    _csrf?: string;
  }
}
export {};
