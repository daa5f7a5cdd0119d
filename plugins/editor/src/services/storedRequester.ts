import type { BackOfficeUser, MediaRequester, PluginAuth, Principal } from '@mediahost/core';
import type { StoredRequester } from '../models/ticket.js';

export const applicationRequester = (principal: Principal): Extract<StoredRequester, { kind: 'application' }> => ({ kind: 'application', applicationId: principal.applicationId, subject: principal.subject });
export const userRequester = (user: BackOfficeUser): StoredRequester => ({ kind: 'user', userId: user.id });

/** The requester as the registry takes it; undefined once a back-office user is gone. */
export async function mediaRequesterOf(requester: StoredRequester, findUser: PluginAuth['findUser']): Promise<MediaRequester | undefined> {
  if (requester.kind === 'application') return requester;
  const user = await findUser(requester.userId);
  return user && { kind: 'user', user };
}
