import { z } from 'zod';
import { generateSecret } from '../auth/secrets.js';
import { hashPassword, MIN_PASSWORD_LENGTH, passwordMatches } from '../auth/passwords.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import { ALL_PERMISSIONS } from './catalog.js';
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

export const newUserSchema = z.strictObject({
  email: z.email().max(254),
  name: z.string().max(200).default(''),
  password: z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024),
  roles: z.array(z.string()).default([]),
  groups: z.array(z.string()).default([]),
});

export const userChangesSchema = newUserSchema.partial().omit({ email: true });

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

  async create(input: unknown): Promise<PublicUser> {
    const data = parseInput(newUserSchema, input);
    await this.assertRolesExist(data.roles);
    const passwordHash = await hashPassword(data.password);
    const user = await uniquely(
      () => this.models.User.create({ email: data.email, name: data.name, roles: data.roles, groups: data.groups, passwordHash }),
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

  async update(id: string, input: unknown): Promise<PublicUser> {
    const changes = parseInput(userChangesSchema, input);
    await this.find(id);
    if (changes.roles) await this.assertRolesExist(changes.roles);
    const { password, ...rest } = changes;
    const update: Record<string, unknown> = { ...rest };
    if (password) update.passwordHash = await hashPassword(password);
    const user = await this.models.User.findByIdAndUpdate(id, update, { returnDocument: 'after' }).lean<UserDoc>();
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return toPublic(user);
  }

  async remove(id: string): Promise<void> {
    assertObjectId(id, 'User');
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

  static grants(permissions: Set<string>, permission: string): boolean {
    return permissions.has(ALL_PERMISSIONS) || permissions.has(permission);
  }

  private async find(id: string): Promise<UserDoc> {
    assertObjectId(id, 'User');
    const user = await this.models.User.findById(id).lean<UserDoc>();
    if (!user) throw new NotFoundError(`User ${id} not found`);
    return user;
  }

  private async assertRolesExist(roles: string[]): Promise<void> {
    if (!roles.length) return;
    const found = await this.models.Role.find({ name: { $in: roles } }).lean();
    const missing = roles.filter((name) => !found.some((role) => role.name === name));
    if (missing.length) throw new BadRequestError(`Unknown role: ${missing.join(', ')}`);
  }
}
