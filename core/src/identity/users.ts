import { z } from 'zod';
import { generateSecret } from '../credentials/secrets.js';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordMatches } from '../credentials/passwords.js';
import { randomBytes } from 'node:crypto';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { ALL_PERMISSIONS } from './catalog.js';
import { assertCovers, type Actor } from './delegation.js';
import type { IdentityModels, UserDoc } from './models.js';
import { assertObjectId, uniquely } from './mongoErrors.js';

export interface PublicUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
  groups: string[];
  createdAt?: Date;
}

const userFields = {
  email: z.email().max(254),
  name: z.string().max(200),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  roles: z.array(z.string()),
  groups: z.array(z.string()),
};

export const newUserSchema = z.strictObject({
  ...userFields,
  name: userFields.name.default(''),
  roles: userFields.roles.default([]),
  groups: userFields.groups.default([]),
});

/** Without defaults: `.partial()` keeps them, and a field left out would be reset instead of kept. */
export const userChangesSchema = z.strictObject(userFields).partial().omit({ email: true });

/** Changes with the password: sessions and tokens issued under another stamp are void. */
export const newCredentialsStamp = (): string => randomBytes(12).toString('base64url');

function toPublic(user: UserDoc): PublicUser {
  return {
    id: String(user._id),
    email: user.email,
    name: user.name ?? '',
    roles: user.roles,
    groups: user.groups,
    createdAt: (user as { createdAt?: Date }).createdAt,
  };
}

export class Users {
  private dummyHash?: Promise<string>;

  constructor(private readonly models: IdentityModels) {}

  async create(input: unknown, actor: Actor): Promise<PublicUser> {
    const data = parseInput(newUserSchema, input);
    await this.assertRolesExist(data.roles);
    await this.assertMayGrantRoles(actor, data.roles);
    const passwordHash = await hashPassword(data.password);
    const user = await uniquely(
      () =>
        this.models.User.create({ email: data.email, name: data.name, roles: data.roles, groups: data.groups, passwordHash, credentialsStamp: newCredentialsStamp() }),
      `A user with email ${data.email} already exists`,
    );
    return toPublic(user.toObject());
  }

  async list(): Promise<PublicUser[]> {
    const users = await this.models.User.find().sort({ email: 1 }).lean<UserDoc[]>();
    return users.map(toPublic);
  }

  async get(id: string): Promise<PublicUser> {
    return toPublic(await this.find(id));
  }

  async update(id: string, input: unknown, actor: Actor): Promise<PublicUser> {
    const changes = parseInput(userChangesSchema, input);
    await this.find(id);
    await this.assertMayActOn(actor, id);
    if (changes.roles) {
      await this.assertRolesExist(changes.roles);
      await this.assertMayGrantRoles(actor, changes.roles);
    }
    const { password, ...rest } = changes;
    const update: Record<string, unknown> = { ...rest };
    if (password) {
      update.passwordHash = await hashPassword(password);
      update.credentialsStamp = newCredentialsStamp();
    }
    const user = await this.models.User.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean<UserDoc>();
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return toPublic(user);
  }

  async remove(id: string, actor: Actor): Promise<void> {
    await this.find(id);
    await this.assertMayActOn(actor, id);
    const { deletedCount } = await this.models.User.deleteOne({ _id: id });
    if (!deletedCount) throw new NotFoundError(`User ${id} not found`);
  }

  /** The user for these credentials, or undefined; an unknown email costs one argon2 verify like a wrong password. */
  async authenticate(email: string, password: string): Promise<PublicUser | undefined> {
    const user = await this.models.User.findOne({ email: email.toLowerCase().trim() }).lean<UserDoc>();
    this.dummyHash ??= hashPassword(generateSecret());
    const ok = await passwordMatches(password, user?.passwordHash ?? (await this.dummyHash));
    return user && ok ? toPublic(user) : undefined;
  }

  /** Permissions granted through the user's roles; `*` stands for all. */
  async permissionsOf(userId: string): Promise<Set<string>> {
    const user = await this.models.User.findById(userId).lean<UserDoc>();
    if (!user) return new Set();
    const roles = await this.models.Role.find({ name: { $in: user.roles } }).lean();
    return new Set(roles.flatMap((role) => role.permissions));
  }

  /** The stamp of the user's current password, which back-office sessions and plugin tokens carry ('' for users made before stamps). */
  async credentialsStampOf(userId: string): Promise<string> {
    const user = await this.models.User.findById(userId).lean<UserDoc>();
    return user?.credentialsStamp ?? '';
  }

  static grants(permissions: Set<string>, permission: string): boolean {
    return permissions.has(ALL_PERMISSIONS) || permissions.has(permission);
  }

  private async find(id: string): Promise<UserDoc> {
    assertObjectId(id, 'User');
    const user = await this.models.User.findById(id).lean<UserDoc>();
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  private async permissionsOfRoles(roles: string[]): Promise<string[]> {
    if (!roles.length) return [];
    return (await this.models.Role.find({ name: { $in: roles } }).lean()).flatMap((role) => role.permissions);
  }

  private async assertMayGrantRoles(actor: Actor, roles: string[]): Promise<void> {
    for (const role of roles) {
      assertCovers(actor, await this.permissionsOfRoles([role]), `You cannot grant the role "${role}": it holds permissions you do not have`);
    }
  }

  private async assertMayActOn(actor: Actor, userId: string): Promise<void> {
    assertCovers(actor, await this.permissionsOf(userId), 'You cannot change or delete a user who holds permissions you do not have');
  }

  private async assertRolesExist(roles: string[]): Promise<void> {
    if (!roles.length) return;
    const found = await this.models.Role.find({ name: { $in: roles } }).lean();
    const missing = roles.filter((name) => !found.some((role) => role.name === name));
    if (missing.length) throw new BadRequestError(`Unknown role: ${missing.join(', ')}`);
  }
}
