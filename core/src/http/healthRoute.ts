import type { Context, Middleware } from 'koa';

/**
 * GET /<plugin>/health for every plugin, answered by the core: `{ plugin, status: 'ok' }`, or 503 with status
 * 'unavailable' when the plugin's own check throws (its reason is logged, not shown to an anonymous caller).
 */
export function healthRoute(plugin: string, check: (() => Promise<void>) | undefined, onFailure: (error: unknown) => void): Middleware {
  const path = `/${plugin}/health`;
  const answer = async (ctx: Context) => {
    try {
      await check?.();
      ctx.body = { plugin, status: 'ok' };
    } catch (error) {
      onFailure(error);
      ctx.status = 503;
      ctx.body = { plugin, status: 'unavailable' };
    }
  };
  // Every request of the plugin passes here: not an async frame of its own for the ones it lets through.
  return (ctx, next) => (ctx.path === path && (ctx.method === 'GET' || ctx.method === 'HEAD') ? answer(ctx) : next());
}
