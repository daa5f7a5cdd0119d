import type { Context } from 'koa';
import type { HttpError } from '../errors.js';
import type { BrowserErrors } from '../http/errorHandler.js';
import { escapeHtml, renderPage } from './html.js';
import { backOfficePage } from './navigation.js';

const TITLES: Record<number, string> = { 401: 'Sign in required', 403: 'Forbidden', 404: 'Page not found' };

/** Back-office routes that answer JSON whatever the Accept header: the back office's own API. */
const isApi = (path: string) => path === '/be/api' || path.startsWith('/be/api/');

/**
 * What a browser gets instead of a JSON error from the back-office process: the login page for a missing session,
 * an HTML page for the rest. Only pages are concerned; the JSON API under /be/api keeps its JSON.
 */
export const backOfficeBrowserErrors: BrowserErrors = {
  applies: (ctx) => !isApi(ctx.path),
  loginRedirect: (ctx) => (ctx.state.user ? undefined : `/be/login?next=${encodeURIComponent(ctx.originalUrl)}`),
  page: (ctx: Context, error: HttpError) => {
    const title = TITLES[error.status] ?? (error.status >= 500 ? 'Something went wrong' : 'Request refused');
    const message = error.status === 404 ? `There is no page at ${ctx.path}.` : error.status >= 500 ? 'The server could not answer this request.' : error.message;
    const body = `<p>${escapeHtml(message)}</p><p><a href="/be">Back to the back office</a></p>`;
    // the shell's sign-out form needs the CSRF token, which only /be paths carry
    if (typeof ctx.state._csrf === 'string') return backOfficePage(ctx, { title, body });
    return renderPage({ title, csrfToken: '', body });
  },
};
