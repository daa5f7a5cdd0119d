import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';

/** The page scripts bundled from src/browser (scripts/build-browser.js). */
const browserDir = fileURLToPath(new URL('../browser/', import.meta.url));
const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** GET /be/assets/<name>.js|.css: the bundled page scripts and the style sheet; nothing else is reachable. And /favicon.ico. */
export function serveAssets(): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/favicon.ico' && (ctx.method === 'GET' || ctx.method === 'HEAD')) {
      ctx.body = await readFile(path.join(publicDir, 'favicon.ico'));
      ctx.type = 'image/x-icon';
      ctx.set('Cache-Control', 'public, max-age=86400');
      return;
    }
    const match = /^\/be\/assets\/([a-z][a-z0-9-]*\.(js|css))$/.exec(ctx.path);
    if (!match || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const name = match[1]!;
    const file = path.join(name.endsWith('.js') ? browserDir : publicDir, name);
    try {
      ctx.body = await readFile(file);
    } catch {
      return next();
    }
    ctx.type = TYPES[path.extname(name)]!;
    ctx.set('Cache-Control', 'no-cache');
  };
}
