import { BadRequestError, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { InstanceDoc } from '../models/instance.js';
import type { RoleKind } from '../models/role.js';
import type { Folders } from './folders.js';
import type { Roles } from './roles.js';

export interface UserInput {
  email: string;
  firstName?: string;
  lastName?: string;
  role?: RoleKind;
}

export class Users {
  constructor(
    private readonly users: Model<EditorUserDoc>,
    private readonly ids: NumericIds,
    private readonly roles: Roles,
    private readonly folders: Folders,
  ) {}

  async view(user: EditorUserDoc) {
    const role = await this.roles.get(user.roleId).catch(() => undefined);
    return {
      userId: user._id,
      firstName: user.firstName,
      lastName: user.lastName,
      email: user.email,
      role: role?.kind ?? 'user',
      roleId: user.roleId,
      instanceId: user.instanceId,
      rootFolderId: user.rootFolderId,
      created: user.createdAt?.getTime(),
    };
  }

  /** Addresses are unique within an instance only: whether another partner's instance has one is none of the caller's business. */
  private async assertEmailFree(instanceId: number, email: string, except?: number): Promise<void> {
    const existing = await this.users.findOne({ instanceId, email: email.toLowerCase().trim() }).lean<EditorUserDoc>();
    if (existing && existing._id !== except) throw new BadRequestError('A user already exists with the given e-mail');
  }

  async create(instance: InstanceDoc, input: UserInput, { ignoreLicenses = false } = {}): Promise<EditorUserDoc> {
    await this.assertEmailFree(instance._id, input.email);
    if (!ignoreLicenses && (await this.users.countDocuments({ instanceId: instance._id })) >= instance.licenses) {
      throw new BadRequestError(`The instance has no free license (${instance.licenses} in use)`);
    }
    const role = await this.roles.byKind(instance._id, input.role ?? 'user');
    const _id = await this.ids.next('user');
    const rootFolderId = await this.folders.createRoot(instance._id, 'userRoot', 'My media');
    try {
      return (
        await this.users.create({ _id, instanceId: instance._id, email: input.email, firstName: input.firstName ?? '', lastName: input.lastName ?? '', roleId: role._id, rootFolderId })
      ).toObject();
    } catch (error) {
      if ((error as { code?: number }).code === 11000) throw new BadRequestError('A user already exists with the given e-mail');
      throw error;
    }
  }

  async get(id: number): Promise<EditorUserDoc> {
    const user = Number.isSafeInteger(id) ? await this.users.findById(id).lean<EditorUserDoc>() : null;
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  /** The user with this address in one of the caller's instances; the same "not found" whether it exists elsewhere or nowhere. */
  async byEmail(instanceIds: number[], email: string): Promise<EditorUserDoc> {
    const found = await this.users.find({ instanceId: { $in: instanceIds }, email: email.toLowerCase().trim() }).limit(2).lean<EditorUserDoc[]>().exec();
    if (found.length === 0) throw new NotFoundError('No user with this e-mail');
    if (found.length > 1) throw new BadRequestError('Several of your instances have a user with this e-mail: give the userId');
    return found[0]!;
  }

  async update(user: EditorUserDoc, changes: Partial<UserInput>): Promise<void> {
    const set: Partial<EditorUserDoc> = {};
    if (changes.email !== undefined) {
      await this.assertEmailFree(user.instanceId, changes.email, user._id);
      set.email = changes.email;
    }
    if (changes.firstName !== undefined) set.firstName = changes.firstName;
    if (changes.lastName !== undefined) set.lastName = changes.lastName;
    if (changes.role !== undefined) set.roleId = (await this.roles.byKind(user.instanceId, changes.role))._id;
    await this.users.updateOne({ _id: user._id }, { $set: set });
  }

  async assignRole(roleId: number, instanceId: number, userIds: number[]): Promise<void> {
    for (const id of userIds) {
      const user = await this.get(id);
      if (user.instanceId !== instanceId) throw new BadRequestError(`User ${id} is not in the role's instance`);
    }
    for (const id of userIds) await this.users.updateOne({ _id: id }, { $set: { roleId } });
  }

  async remove(user: EditorUserDoc): Promise<void> {
    await this.users.deleteOne({ _id: user._id });
  }

  async removeOf(instanceId: number): Promise<void> {
    await this.users.deleteMany({ instanceId });
  }

  async list(instanceId: number, skip: number, limit: number): Promise<{ users: EditorUserDoc[]; total: number }> {
    const [users, total] = await Promise.all([
      this.users.find({ instanceId }).sort({ _id: 1 }).skip(skip).limit(limit).lean<EditorUserDoc[]>().exec(),
      this.users.countDocuments({ instanceId }),
    ]);
    return { users, total };
  }
}
