import type { Context } from 'koa';

/**
 * Who calls the OpenVidu API. The operator (Basic OPENVIDUAPP:<secret>) sees every session and recording and alone
 * changes the global settings; an application (a Bearer token with the live scope) sees only what it created.
 */
export type Caller = { operator: true } | { operator: false; owner: string };

export const OPERATOR: Caller = { operator: true };
/** The owner recorded for what the operator creates: no application sees it. */
export const OPERATOR_OWNER = 'operator';

export function ownerOf(caller: Caller): string {
  return caller.operator ? OPERATOR_OWNER : caller.owner;
}

/** Something without a recorded owner (made before ownership existed) is the operator's. */
export function mayAccess(caller: Caller, owner: string | undefined): boolean {
  return caller.operator || owner === caller.owner;
}

export function setCaller(ctx: Context, caller: Caller): void {
  ctx.state.caller = caller;
}

/** The caller the OpenVidu guard authenticated; a route reached without the guard is a programming error. */
export function callerOf(ctx: Context): Caller {
  const { caller } = ctx.state;
  if (!caller) throw new Error('OpenVidu route reached without its guard');
  return caller;
}
