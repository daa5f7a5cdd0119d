import { randomBytes } from 'node:crypto';
import { NotFoundError, type Model, type Principal, type NumericIds } from '@mediahost/core';
import type { AccountDoc, InstanceDoc } from '../models/instance.js';
import type { Folders } from './folders.js';
import type { Roles } from './roles.js';
import type { Users } from './users.js';

export interface InstanceInput {
  instanceName: string;
  licenses?: number;
  email?: string;
  firstName?: string;
  lastName?: string;
}

const DEFAULT_INSTANCE_LICENSES = 100_000;

export const instanceView = (instance: InstanceDoc) => ({
  instanceId: instance._id,
  name: instance.name,
  fullName: `${instance.name}_by_${instance.ownerId}`,
  ownerId: instance.ownerId,
  licenses: instance.licenses,
  sharedRootFolder: instance.sharedRootFolder,
});

/**
 * Instances belong to the application that created them. Each application also has a default instance,
 * made on its first call, whose owner is the "API user" that files imported without a userId belong to.
 */
export class Instances {
  constructor(
    private readonly instances: Model<InstanceDoc>,
    private readonly accounts: Model<AccountDoc>,
    private readonly ids: NumericIds,
    private readonly folders: Folders,
    private readonly roles: Roles,
    private readonly users: Users,
    private readonly defaultLicenses: number,
  ) {}

  async create(principal: Principal, input: InstanceInput, licenses = input.licenses ?? this.defaultLicenses): Promise<InstanceDoc> {
    const _id = await this.ids.next('instance');
    const sharedRootFolder = await this.folders.createRoot(_id, 'sharedRoot', 'Shared');
    await this.roles.createDefaults(_id);
    const draft = { _id, applicationId: principal.applicationId, name: input.instanceName, ownerId: 0, licenses, sharedRootFolder } as InstanceDoc;
    const owner = await this.users.create(
      draft,
      { email: input.email ?? `owner-${_id}-${randomBytes(4).toString('hex')}@instances.invalid`, firstName: input.firstName, lastName: input.lastName, role: 'admin' },
      { ignoreLicenses: true },
    );
    return (await this.instances.create({ ...draft, ownerId: owner._id })).toObject();
  }

  async defaultFor(principal: Principal): Promise<InstanceDoc> {
    const account = await this.accounts.findById(principal.applicationId).lean<AccountDoc>();
    if (account) return this.get(account.defaultInstanceId);
    const instance = await this.create(principal, { instanceName: `API ${principal.clientId.slice(0, 8)}` }, DEFAULT_INSTANCE_LICENSES);
    try {
      await this.accounts.create({ _id: principal.applicationId, defaultInstanceId: instance._id });
      return instance;
    } catch {
      // another request made it first: use theirs, and leave nothing of ours behind
      await this.instances.deleteOne({ _id: instance._id });
      await Promise.all([this.users.removeOf(instance._id), this.roles.removeOf(instance._id), this.folders.removeOf(instance._id)]);
      return this.defaultFor(principal);
    }
  }

  async get(id: number): Promise<InstanceDoc> {
    const instance = Number.isSafeInteger(id) ? await this.instances.findById(id).lean<InstanceDoc>() : null;
    if (!instance) throw new NotFoundError(`Instance ${id} not found`);
    return instance;
  }

  /** The instance the caller names, if it is theirs (404 otherwise, as for one that does not exist), else their default one. */
  async of(principal: Principal, id?: number): Promise<InstanceDoc> {
    if (id === undefined) return this.defaultFor(principal);
    const instance = await this.get(id);
    if (instance.applicationId !== principal.applicationId) throw new NotFoundError(`Instance ${id} not found`);
    return instance;
  }

  async list(principal: Principal): Promise<InstanceDoc[]> {
    await this.defaultFor(principal);
    return this.instances.find({ applicationId: principal.applicationId }).sort({ _id: 1 }).lean<InstanceDoc[]>().exec();
  }

  async update(instance: InstanceDoc, set: Record<string, unknown>): Promise<void> {
    await this.instances.updateOne({ _id: instance._id }, { $set: set });
  }
}
