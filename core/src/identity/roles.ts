import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { ADMIN_ROLE, ALL_PERMISSIONS, type Catalog } from './catalog.js';
import type { IdentityModels, RoleDoc } from './models.js';
import { assertObjectId, uniquely } from './mongoErrors.js';

export interface PublicRole {
  id: string;
  name: string;
  permissions: string[];
}

const roleInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  permissions: z.array(z.string()).default([]),
});

const toPublic = (role: RoleDoc): PublicRole => ({ id: String(role._id), name: role.name, permissions: role.permissions });

export class Roles {
  constructor(
    private readonly models: IdentityModels,
    private readonly catalog: Catalog,
  ) {}

  async create(input: unknown): Promise<PublicRole> {
    const data = parseInput(roleInputSchema, input);
    this.catalog.assertPermissions(data.permissions);
    const role = await uniquely(() => this.models.Role.create(data), `A role named ${data.name} already exists`);
    return toPublic(role.toObject());
  }

  async list(): Promise<PublicRole[]> {
    return (await this.models.Role.find().sort({ name: 1 }).lean<RoleDoc[]>()).map(toPublic);
  }

  async update(id: string, input: unknown): Promise<PublicRole> {
    const changes = parseInput(roleInputSchema.partial(), input);
    const current = await this.find(id);
    if (current.name === ADMIN_ROLE) throw new BadRequestError('The admin role cannot be changed');
    if (changes.permissions) this.catalog.assertPermissions(changes.permissions);
    const role = await uniquely(
      () => this.models.Role.findByIdAndUpdate(id, changes, { returnDocument: 'after' }).lean<RoleDoc>(),
      `A role named ${changes.name} already exists`,
    );
    if (!role) throw new NotFoundError(`Role ${id} not found`);
    if (changes.name && changes.name !== current.name) {
      await this.models.User.updateMany({ roles: current.name }, { $set: { 'roles.$': changes.name } });
    }
    return toPublic(role);
  }

  async remove(id: string): Promise<void> {
    const role = await this.find(id);
    if (role.name === ADMIN_ROLE) throw new BadRequestError('The admin role cannot be deleted');
    await this.models.Role.deleteOne({ _id: id });
    await this.models.User.updateMany({ roles: role.name }, { $pull: { roles: role.name } });
  }

  /** The built-in role that holds every permission; created on first need. */
  async ensureAdminRole(): Promise<void> {
    await this.models.Role.updateOne(
      { name: ADMIN_ROLE },
      { $setOnInsert: { name: ADMIN_ROLE, permissions: [ALL_PERMISSIONS] } },
      { upsert: true },
    );
  }

  private async find(id: string): Promise<RoleDoc> {
    assertObjectId(id, 'Role');
    const role = await this.models.Role.findById(id).lean<RoleDoc>();
    if (!role) throw new NotFoundError(`Role ${id} not found`);
    return role;
  }
}
