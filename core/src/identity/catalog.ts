import { BadRequestError } from '../errors.js';

export interface PermissionSpec {
  id: string;
  description: string;
}
export type ScopeSpec = PermissionSpec;

/** Everything granted in this platform: the core's own permissions plus what each plugin declares. */
export class Catalog {
  private readonly permissions = new Map<string, PermissionSpec>();
  private readonly scopes = new Map<string, ScopeSpec>();

  addPermissions(owner: string, specs: PermissionSpec[]): void {
    for (const spec of specs) this.add(this.permissions, owner, 'permission', spec);
  }

  addScopes(owner: string, specs: ScopeSpec[]): void {
    for (const spec of specs) this.add(this.scopes, owner, 'scope', spec);
  }

  listPermissions(): PermissionSpec[] {
    return [...this.permissions.values()];
  }

  listScopes(): ScopeSpec[] {
    return [...this.scopes.values()];
  }

  assertPermissions(ids: string[]): void {
    const unknown = ids.filter((id) => id !== ALL_PERMISSIONS && !this.permissions.has(id));
    if (unknown.length) throw new BadRequestError(`Unknown permission: ${unknown.join(', ')}`);
  }

  assertScopes(ids: string[]): void {
    const unknown = ids.filter((id) => !this.scopes.has(id));
    if (unknown.length) throw new BadRequestError(`Unknown scope: ${unknown.join(', ')}`);
  }

  private add(map: Map<string, PermissionSpec>, owner: string, kind: string, spec: PermissionSpec): void {
    if (map.has(spec.id)) throw new Error(`${owner} declares the ${kind} "${spec.id}" twice or another plugin already did`);
    map.set(spec.id, spec);
  }
}

/** Granted to the built-in admin role: every permission, present and future. */
export const ALL_PERMISSIONS = '*';
export const ADMIN_ROLE = 'admin';

export const corePermissions = {
  manageUsers: 'core.users.manage',
  manageRoles: 'core.roles.manage',
  manageGroups: 'core.groups.manage',
  manageApplications: 'core.applications.manage',
  manageJobs: 'core.jobs.manage',
} as const;

export const corePermissionSpecs: PermissionSpec[] = [
  { id: corePermissions.manageUsers, description: 'Create, edit and delete users' },
  { id: corePermissions.manageRoles, description: 'Create, edit and delete roles' },
  { id: corePermissions.manageGroups, description: 'Create, edit and delete groups' },
  { id: corePermissions.manageApplications, description: 'Create and delete web-service applications' },
  { id: corePermissions.manageJobs, description: 'See the background jobs of every plugin and retry failed ones' },
];
