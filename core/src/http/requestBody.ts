/** ctx.request.body as the core's body parser (@koa/bodyparser) sets it, for plugins that do not import it. */
declare module 'koa' {
  interface Request {
    body?: any;
  }
}
export {};
