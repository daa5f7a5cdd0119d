import type { BackOfficeUser, Principal } from '@mediahost/core';

/**
 * A back-office user's own editor space: the instance of an "account" keyed by "user:<id>" where an application's is
 * keyed by its id (no application id has that form), made on first use like an application's default instance.
 */
export function backOfficeSpaceOf(user: BackOfficeUser): Principal {
  return { applicationId: `user:${user.id}`, clientId: `back-office user ${user.id}`, scopes: [], scheme: 'backoffice', subject: `user:${user.id}` };
}
