import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import type { NavEntry } from './navigation.js';

/** What the back office's middleware leaves on ctx.state (see http/requestState.ts for the rest). */
declare module 'koa' {
  interface DefaultState {
    /** The signed-in back-office user. */
    user?: BackOfficeUser;
    /** The back-office pages offered in the navigation, filtered per user when a page renders. */
    navEntries?: NavEntry[];
    /** koa-csrf's token for the back-office forms. */
    _csrf?: string;
  }
}
export {};
