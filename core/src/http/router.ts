/** Plugins build their routers with the core's @koa/router, so the core can mount them. */
export { default as Router } from '@koa/router';
