import { ForbiddenError } from '../errors.js';
import { ALL_PERMISSIONS } from './catalog.js';

/** The permissions of whoever acts: the signed-in user's, or every one for the operator at the command line. */
export type Actor = ReadonlySet<string>;

export const OPERATOR: Actor = new Set([ALL_PERMISSIONS]);

/** Whether the actor holds every one of these permissions (only `*` covers `*`). */
export function covers(actor: Actor, permissions: Iterable<string>): boolean {
  if (actor.has(ALL_PERMISSIONS)) return true;
  for (const permission of permissions) if (!actor.has(permission)) return false;
  return true;
}

/** Delegation never escalates: nobody hands out, or acts on someone holding, rights they do not hold themselves. */
export function assertCovers(actor: Actor, permissions: Iterable<string>, refusal: string): void {
  if (!covers(actor, permissions)) throw new ForbiddenError(refusal, 'insufficient_rights');
}
