import { BadRequestError, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { RoleDoc, RoleKind } from '../models/role.js';

const common = { PROJECT_INVITES: 'all', DOWNLOAD_EXPORT: 1, IMPORTBOX: 1, IMPORTDRIVE: 1, PUBLISH_YOUTUBE: 1, PUBLISH_ONEDRIVE: 1 };
const DEFAULTS: Record<RoleKind, Record<string, string | number>> = {
  admin: { ...common, NAME: 'Admin', ORIGINALNAME: 'Admin', MANAGE_USERS: 1, MANAGE_SETTINGS: 1, CREATE_TEMPLATES: 1, MANAGE_ALL_CONTENT: 1 },
  lead: { ...common, NAME: 'Lead', ORIGINALNAME: 'Lead', MANAGE_USERS: 1, MANAGE_SETTINGS: 0, CREATE_TEMPLATES: 1, MANAGE_ALL_CONTENT: 0 },
  user: { ...common, NAME: 'User', ORIGINALNAME: 'User', MANAGE_USERS: 0, MANAGE_SETTINGS: 0, CREATE_TEMPLATES: 0, MANAGE_ALL_CONTENT: 0 },
};
export const ROLE_KINDS = Object.keys(DEFAULTS) as RoleKind[];
/** Set by the platform, not by PUT /roles/:id. */
const READ_ONLY = new Set(['ID', 'ORIGINALNAME']);

/** WeVideo's role listing: the properties flat, with ID. */
export const roleView = (role: RoleDoc) => ({ ...role.properties, ID: role._id });

export class Roles {
  constructor(
    private readonly roles: Model<RoleDoc>,
    private readonly ids: NumericIds,
  ) {}

  async createDefaults(instanceId: number): Promise<Record<RoleKind, number>> {
    const created = {} as Record<RoleKind, number>;
    for (const kind of ROLE_KINDS) {
      const _id = await this.ids.next('role');
      await this.roles.create({ _id, instanceId, kind, properties: { ...DEFAULTS[kind] } });
      created[kind] = _id;
    }
    return created;
  }

  async removeOf(instanceId: number): Promise<void> {
    await this.roles.deleteMany({ instanceId });
  }

  list(instanceId: number): Promise<RoleDoc[]> {
    return this.roles.find({ instanceId }).sort({ _id: 1 }).lean<RoleDoc[]>().exec();
  }

  async get(id: number): Promise<RoleDoc> {
    const role = await this.roles.findById(id).lean<RoleDoc>();
    if (!role) throw new NotFoundError(`Role ${id} not found`);
    return role;
  }

  async byKind(instanceId: number, kind: RoleKind): Promise<RoleDoc> {
    const role = await this.roles.findOne({ instanceId, kind }).lean<RoleDoc>();
    if (!role) throw new NotFoundError(`Instance ${instanceId} has no ${kind} role`);
    return role;
  }

  async updateProperties(role: RoleDoc, properties: { key: string; value: string | number | boolean }[]): Promise<void> {
    const set: Record<string, unknown> = {};
    for (const { key, value } of properties) {
      if (READ_ONLY.has(key)) throw new BadRequestError(`The role property ${key} cannot be changed`);
      set[`properties.${key}`] = value;
    }
    await this.roles.updateOne({ _id: role._id }, { $set: set });
  }
}
