import { z } from 'zod';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { ADMIN_ROLE, ALL_PERMISSIONS, type Catalog } from './catalog.js';
import { assertCovers, type Actor } from './delegation.js';
import type { IdentityModels, RoleDoc } from './models.js';
import { assertObjectId, uniquely } from './mongoErrors.js';

export interface PublicRole {
  id: string;
  name: string;
  permissions: string[];
}

const roleFields = {
  name: z.string().trim().min(1).max(100),
  permissions: z.array(z.string()),
};
const newRoleSchema = z.strictObject({ ...roleFields, permissions: roleFields.permissions.default([]) });
/** Without defaults: `.partial()` keeps them, and a field left out would be reset instead of kept. */
const roleChangesSchema = z.strictObject(roleFields).partial();

const GRANT_REFUSAL = 'You cannot grant permissions you do not have';
const ACT_REFUSAL = 'You cannot change or delete a role that holds permissions you do not have';

const toPublic = (role: RoleDoc): PublicRole => ({ id: String(role._id), name: role.name, permissions: role.permissions });

export class Roles {
  constructor(
    private readonly models: IdentityModels,
    private readonly catalog: Catalog,
  ) {}

  async create(input: unknown, actor: Actor): Promise<PublicRole> {
    const data = parseInput(newRoleSchema, input);
    this.catalog.assertPermissions(data.permissions);
    assertCovers(actor, data.permissions, GRANT_REFUSAL);
    const role = await uniquely(() => this.models.Role.create(data), `A role named ${data.name} already exists`);
    return toPublic(role.toObject());
  }

  async list(): Promise<PublicRole[]> {
    return (await this.models.Role.find().sort({ name: 1 }).lean<RoleDoc[]>()).map(toPublic);
  }

  async update(id: string, input: unknown, actor: Actor): Promise<PublicRole> {
    const changes = parseInput(roleChangesSchema, input);
    const current = await this.find(id);
    if (current.name === ADMIN_ROLE) throw new BadRequestError('The admin role cannot be changed');
    assertCovers(actor, current.permissions, ACT_REFUSAL);
    if (changes.permissions) {
      this.catalog.assertPermissions(changes.permissions);
      assertCovers(actor, changes.permissions, GRANT_REFUSAL);
    }
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

  async remove(id: string, actor: Actor): Promise<void> {
    const role = await this.find(id);
    if (role.name === ADMIN_ROLE) throw new BadRequestError('The admin role cannot be deleted');
    assertCovers(actor, role.permissions, ACT_REFUSAL);
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
