import type { Caller } from './openvidu/caller.js';

/** What live's middleware leaves on ctx.state, merged into the core's request state. */
declare module 'koa' {
  interface DefaultState {
    /** Who calls the OpenVidu API, set by its guard (absent on recording files served publicly). */
    caller?: Caller;
  }
}
export {};
