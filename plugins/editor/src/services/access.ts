import { NotFoundError, type Principal } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { InstanceDoc } from '../models/instance.js';
import type { Instances } from './instances.js';
import type { Users } from './users.js';

/** What a partner application may reach: its instances and their users; anything else is "not found". */
export class Access {
  constructor(
    readonly instances: Instances,
    readonly users: Users,
  ) {}

  instance(principal: Principal, id?: number): Promise<InstanceDoc> {
    return this.instances.of(principal, id);
  }

  async user(principal: Principal, id: number): Promise<EditorUserDoc> {
    const user = await this.users.get(id);
    const instance = await this.instances.get(user.instanceId).catch(() => undefined);
    if (instance?.applicationId !== principal.applicationId) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  /** The user with this address in the caller's instances (another partner's users are as unknown as missing ones). */
  async userByEmail(principal: Principal, email: string): Promise<EditorUserDoc> {
    const instances = await this.instances.list(principal);
    return this.users.byEmail(instances.map((instance) => instance._id), email);
  }

  /** The user a call names, or the API user (the default instance's owner) when it names none. */
  async userOrApiUser(principal: Principal, id?: number): Promise<EditorUserDoc> {
    if (id !== undefined) return this.user(principal, id);
    const instance = await this.instances.defaultFor(principal);
    return this.users.get(instance.ownerId);
  }

  async ownsInstance(principal: Principal, instanceId: number): Promise<void> {
    await this.instances.of(principal, instanceId);
  }
}
