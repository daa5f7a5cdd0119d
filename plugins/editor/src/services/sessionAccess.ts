import { NotFoundError } from '@mediahost/core';
import type { EditorUserDoc } from '../models/editorUser.js';
import type { ExportDoc } from '../models/exportJob.js';
import type { MediaFileDoc } from '../models/mediaFile.js';
import type { RoleDoc } from '../models/role.js';
import type { TimelineDoc } from '../models/timeline.js';
import { fileIdsOf } from './timelineLayout.js';
import type { Instances } from './instances.js';
import type { MediaFiles } from './mediaFiles.js';
import type { Roles } from './roles.js';
import type { Timelines } from './timelines.js';
import type { Users } from './users.js';

/** The role property that opens every user's timelines, media and exports of the instance to a browser user. */
export const MANAGE_ALL_CONTENT = 'MANAGE_ALL_CONTENT';

/** Roles made before the property existed: WeVideo's admin is the role with more rights than lead and user. */
export function managesAllContent(role: RoleDoc): boolean {
  const value = role.properties[MANAGE_ALL_CONTENT];
  return value === undefined ? role.kind === 'admin' : value === true || value === 1 || value === '1';
}

export interface SessionUser {
  userId: number;
  instanceId: number;
}

/**
 * What a user in the browser may reach: their own timelines, media and exports, the media the partner's API user
 * put in the instance, and the media on their own timelines; a role managing all content reaches the instance's.
 * Anything else is "not found", as a missing one.
 */
export class SessionAccess {
  constructor(
    private readonly users: Users,
    private readonly roles: Roles,
    private readonly instances: Instances,
    private readonly timelines: Timelines,
    private readonly files: MediaFiles,
  ) {}

  async timeline(session: SessionUser, id: number): Promise<TimelineDoc> {
    const timeline = await this.timelines.get(id);
    if (timeline.instanceId !== session.instanceId || (timeline.userId !== session.userId && !(await this.managesAll(session)))) {
      throw new NotFoundError(`Timeline ${id} not found`);
    }
    return timeline;
  }

  async file(session: SessionUser, id: number): Promise<MediaFileDoc> {
    const file = await this.files.get(id);
    if (file.instanceId !== session.instanceId || !(await this.mayUse(session, file))) throw new NotFoundError(`File ${id} not found`);
    return file;
  }

  async exportOf(session: SessionUser, doc: ExportDoc): Promise<ExportDoc> {
    if (doc.instanceId !== session.instanceId || (doc.userId !== session.userId && !(await this.managesAll(session)))) throw new NotFoundError('Export not found');
    return doc;
  }

  private async mayUse(session: SessionUser, file: MediaFileDoc): Promise<boolean> {
    if (file.userId === session.userId) return true;
    if ((await this.instances.get(file.instanceId)).ownerId === file.userId) return true;
    if (await this.managesAll(session)) return true;
    const { timelines } = await this.timelines.ofUser(session.userId, 0, 1000);
    return timelines.some((timeline) => fileIdsOf(timeline.tracks).includes(file._id));
  }

  private async managesAll(session: SessionUser): Promise<boolean> {
    const user: EditorUserDoc = await this.users.get(session.userId);
    const role = await this.roles.get(user.roleId).catch(() => undefined);
    return role !== undefined && managesAllContent(role);
  }
}
