import type { Context, Middleware } from 'koa';
import { Users } from '../identity/users.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import { renderPage } from './html.js';

export interface NavEntry {
  path: string;
  label: string;
  permission?: string;
}

/** Makes the back-office navigation (core and plugin pages) known to every page rendered below. */
export function navigation(entries: NavEntry[]): Middleware {
  return async (ctx, next) => {
    ctx.state.navEntries = entries;
    await next();
  };
}

/** A back-office page in the platform's shell: navigation limited to what the user may open, CSRF token, sign-out. */
export function backOfficePage(ctx: Context, { title, body, script, libraries }: { title: string; body: string; script?: string; libraries?: string[] }): string {
  const { user } = ctx.state;
  const entries = ctx.state.navEntries ?? [];
  const nav = user ? [{ href: '/be', label: 'Home' }, ...entries.filter((e) => !e.permission || Users.grants(user.permissions, e.permission)).map((e) => ({ href: e.path, label: e.label }))] : [];
  return renderPage({ title, csrfToken: ctx.state._csrf ?? '', body, script, libraries, nav, userEmail: user?.email });
}
