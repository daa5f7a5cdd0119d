declare module 'koa-csrf' {
  import type { Context, Middleware } from 'koa';
  interface CsrfOptions {
    errorHandler?: (ctx: Context) => unknown;
    excludedMethods?: string[];
    disableQuery?: boolean;
    ignoredPathGlobs?: string[];
  }
  const CSRF: new (options?: CsrfOptions) => Middleware;
  export default CSRF;
}
