import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { GroupDoc, IdentityModels } from './models.js';
import { assertObjectId, uniquely } from './mongoErrors.js';

export interface PublicGroup {
  id: string;
  name: string;
  description: string;
}

const groupInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(1000).default(''),
});

const toPublic = (group: GroupDoc): PublicGroup => ({ id: String(group._id), name: group.name, description: group.description ?? '' });

/** Groups gather users so that plugins can share content with all of them at once. */
export class Groups {
  constructor(private readonly models: IdentityModels) {}

  async create(input: unknown): Promise<PublicGroup> {
    const data = parseInput(groupInputSchema, input);
    const group = await uniquely(() => this.models.Group.create(data), `A group named ${data.name} already exists`);
    return toPublic(group.toObject());
  }

  async list(): Promise<PublicGroup[]> {
    return (await this.models.Group.find().sort({ name: 1 }).lean<GroupDoc[]>()).map(toPublic);
  }

  async remove(id: string): Promise<void> {
    assertObjectId(id, 'Group');
    const { deletedCount } = await this.models.Group.deleteOne({ _id: id });
    if (!deletedCount) throw new NotFoundError(`Group ${id} not found`);
    await this.models.User.updateMany({ groups: id }, { $pull: { groups: id } });
  }
}
