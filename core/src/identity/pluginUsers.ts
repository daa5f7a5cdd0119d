import { NotFoundError } from '../errors.js';
import { ADMIN_ROLE, ALL_PERMISSIONS } from './catalog.js';
import type { Actor } from './delegation.js';
import type { IdentityModels } from './models.js';
import type { Roles } from './roles.js';
import type { PublicUser, Users } from './users.js';

/** A platform user as a plugin's user administration sees it; `admin`: their roles grant every permission. */
export interface PluginUser {
  id: string;
  email: string;
  name: string;
  admin: boolean;
  createdAt?: Date;
}

export interface NewPluginUser {
  email: string;
  name?: string;
  password: string;
  admin?: boolean;
}

export interface PluginUserChanges {
  name?: string;
  password?: string;
  admin?: boolean;
}

/**
 * The platform's users for a plugin's own user administration (VideoCMS's /api/users). `actor` holds the caller's
 * permissions: as in the back office, nobody grants, or acts on someone holding, rights they do not hold. Making a
 * user an admin gives them the built-in admin role; taking it away removes that role.
 */
export interface PluginUsers {
  list(): Promise<PluginUser[]>;
  get(id: string): Promise<PluginUser | undefined>;
  create(input: NewPluginUser, actor: Actor): Promise<PluginUser>;
  update(id: string, changes: PluginUserChanges, actor: Actor): Promise<PluginUser>;
  remove(id: string, actor: Actor): Promise<void>;
}

export function pluginUsersOf(users: Users, roles: Roles, models: IdentityModels): PluginUsers {
  const allGranting = async (): Promise<Set<string>> =>
    new Set((await models.Role.find({ permissions: ALL_PERMISSIONS }).lean()).map((role) => role.name));
  const toPlugin = (user: PublicUser, granting: Set<string>): PluginUser => ({
    id: user.id,
    email: user.email,
    name: user.name,
    admin: user.roles.some((role) => granting.has(role)),
    createdAt: user.createdAt,
  });
  const withAdmin = (current: string[], admin: boolean | undefined, granting: Set<string>): string[] | undefined => {
    if (admin === undefined) return undefined;
    const others = current.filter((role) => !granting.has(role));
    return admin ? [...others, ADMIN_ROLE] : others;
  };
  return {
    async list() {
      const granting = await allGranting();
      return (await users.list()).map((user) => toPlugin(user, granting));
    },
    async get(id) {
      try {
        return toPlugin(await users.get(id), await allGranting());
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
    async create({ email, name = '', password, admin = false }, actor) {
      if (admin) await roles.ensureAdminRole();
      return toPlugin(await users.create({ email, name, password, roles: admin ? [ADMIN_ROLE] : [] }, actor), await allGranting());
    },
    async update(id, { name, password, admin }, actor) {
      if (admin) await roles.ensureAdminRole();
      const granting = await allGranting();
      const rolesNow = withAdmin((await users.get(id)).roles, admin, granting);
      const changes = Object.fromEntries(Object.entries({ name, password, roles: rolesNow }).filter(([, value]) => value !== undefined));
      return toPlugin(await users.update(id, changes, actor), granting);
    },
    remove: (id, actor) => users.remove(id, actor),
  };
}
