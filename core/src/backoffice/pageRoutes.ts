import Router from '@koa/router';
import type { Context } from 'koa';
import { TooManyRequestsError } from '../errors.js';
import type { PublicUser } from '../identity/users.js';
import { corePermissions } from '../identity/catalog.js';
import type { BackOfficeUser } from '../identity/backOfficeUser.js';
import type { BackOfficeServices } from './backOfficeServices.js';
import { escapeHtml, renderPage } from './html.js';
import { localReturnPath } from './localPath.js';
import { backOfficePage } from './navigation.js';
import { permissionPage } from './permissionPage.js';
import { signedInUser } from './signedInUser.js';

export const CORE_PAGES = [
  { path: '/be/users', label: 'Users', permission: corePermissions.manageUsers, script: '/be/assets/users.js' },
  { path: '/be/roles', label: 'Roles', permission: corePermissions.manageRoles, script: '/be/assets/roles.js' },
  { path: '/be/applications', label: 'Applications', permission: corePermissions.manageApplications, script: '/be/assets/applications.js' },
];

function loginPage(ctx: Context, error?: string): string {
  const next = localReturnPath(ctx.query.next ?? (ctx.request.body as Record<string, unknown> | undefined)?.next);
  return renderPage({
    title: 'Sign in',
    csrfToken: ctx.state._csrf ?? '',
    body: `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/be/login" class="card">
  <input type="hidden" name="_csrf" value="${escapeHtml(ctx.state._csrf ?? '')}">
  <input type="hidden" name="next" value="${escapeHtml(next)}">
  <label>Email <input type="email" name="email" autocomplete="username" required></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
  });
}

export function backOfficePages(platform: BackOfficeServices): Router {
  const router = new Router();

  router.get('/be/login', (ctx) => {
    if (ctx.state.user) return ctx.redirect('/be');
    ctx.type = 'html';
    ctx.body = loginPage(ctx);
  });

  router.post('/be/login', async (ctx) => {
    const { email, password } = (ctx.request.body ?? {}) as Record<string, unknown>;
    let user: PublicUser | undefined;
    try {
      if (typeof email === 'string' && typeof password === 'string') {
        user = await platform.loginThrottle.guard(email, ctx.ip, platform.conf.server.signInThrottle, () => platform.users.authenticate(email, password));
      }
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      platform.logger.warn('back-office sign-in throttled', { email, ip: ctx.ip });
      ctx.status = 429;
      ctx.set('Retry-After', String(error.retryAfterSeconds));
      ctx.type = 'html';
      ctx.body = loginPage(ctx, `Too many failed sign-ins. Try again in ${Math.ceil(error.retryAfterSeconds / 60)} minute(s).`);
      return;
    }
    if (!user) {
      platform.logger.warn('back-office sign-in refused', { email: typeof email === 'string' ? email : undefined, ip: ctx.ip });
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage(ctx, 'Wrong email or password.');
      return;
    }
    await ctx.session!.regenerate();
    ctx.session!.userId = user.id;
    ctx.session!.credentialsStamp = await platform.users.credentialsStampOf(user.id);
    platform.logger.info('back-office sign-in', { userId: user.id });
    ctx.status = 303;
    ctx.redirect(localReturnPath((ctx.request.body as Record<string, unknown>).next));
  });

  router.post('/be/logout', (ctx) => {
    ctx.session = null;
    ctx.status = 303;
    ctx.redirect('/be/login');
  });

  router.get('/be', permissionPage(undefined), (ctx) => {
    const user = signedInUser(ctx);
    const plugins = platform.plugins
      .map(({ plugin, parts }) => {
        const first = parts.backOfficePages?.[0];
        if (!first) return `<li>${escapeHtml(plugin.name)} <small>(no back-office page)</small></li>`;
        const href = `/be/${plugin.name}${first.path === '/' ? '' : first.path}`;
        return `<li><a href="${escapeHtml(href)}">${escapeHtml(plugin.name)}</a> <small>${escapeHtml(first.label)}</small></li>`;
      })
      .join('');
    ctx.type = 'html';
    ctx.body = backOfficePage(ctx, {
      title: 'Back office',
      body: `<p>Signed in as ${escapeHtml(user.email)}.</p><h2>Plugins</h2><ul>${plugins || '<li>none</li>'}</ul>`,
    });
  });

  for (const { path, label, permission, script } of CORE_PAGES) {
    router.get(path, permissionPage(permission), (ctx) => {
      ctx.type = 'html';
      ctx.body = backOfficePage(ctx, { title: label, script, body: '<div id="app" aria-live="polite">Loading…</div>' });
    });
  }
  return router;
}
