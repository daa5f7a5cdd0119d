import { z } from '@mediahost/core';
import { trackSchema } from '../../models/timelineSchema.js';

/** The answers of the WeVideo API as the editor document declares them (the views of services/*, times in ms). */

const id = z.number().int();
const millis = z.number();

export const successSchema = z.object({ success: z.literal(true) });
/** `{success: true, …extra}`, as the reference answers a change. */
export const success = <S extends z.ZodRawShape>(extra: S) => successSchema.extend(extra);

export const userViewSchema = z.object({
  userId: id,
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string(),
  role: z.string(),
  roleId: id,
  instanceId: id,
  rootFolderId: id,
  created: millis.optional(),
});
export const meSchema = userViewSchema.extend({ apiKey: z.string() });
export const createdUserSchema = z.object({ firstName: z.string().optional(), lastName: z.string().optional(), email: z.string(), userId: id, rootFolderId: id, instanceId: id });

export const instanceViewSchema = z.object({ instanceId: id, name: z.string(), fullName: z.string(), ownerId: id, licenses: z.number(), sharedRootFolder: id });
/** A role's properties (upper-case keys, WeVideo's) and its ID. */
export const roleViewSchema = z.object({ ID: id }).catchall(z.union([z.string(), z.number(), z.boolean()]));
export const webhookViewSchema = z.object({ event: z.string(), url: z.string(), created: millis, id });

export const exportViewSchema = z.object({
  exportId: z.string(),
  timelineId: id,
  userId: id,
  instanceId: id,
  title: z.string(),
  description: z.string(),
  status: z.string(),
  progress: z.number(),
  duration: z.number(),
  fileId: id.optional(),
  fileSize: z.number().optional(),
  urls: z.object({ WeVideo: z.string(), file: z.string() }).optional(),
  error: z.string().optional(),
  created: millis.optional(),
  finished: millis.optional(),
});

export const usageReportSchema = z.object({ property: z.string(), from: millis, fromString: z.string(), to: millis, toString: z.string(), description: z.string(), result: z.number() });

/** A page of a list: the reference's {data, metadata}. */
export const pagedSchema = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item), metadata: z.object({ noResults: z.number().int(), page: z.number().int(), pageSize: z.number().int() }) });

export const fontSettingsSchema = z.object({ disableDefaultFonts: z.boolean().optional(), standardFont: z.string().optional(), textColors: z.array(z.string()).optional(), allColors: z.boolean().optional() });

export const folderViewSchema = z.object({ title: z.string(), id });
export const mediaFileViewSchema = z.object({
  id,
  title: z.string(),
  description: z.string().optional(),
  type: z.string(),
  mimetype: z.string().optional(),
  size: z.number().optional(),
  duration: z.number().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  folderId: id,
  userId: id,
  instanceId: id,
  created: millis.optional(),
});
export const uploadTicketsSchema = success({ expires: millis, tickets: z.array(z.object({ id: z.string(), url: z.string(), size: z.number() })) });
export const ticketStatusSchema = z.record(z.string(), z.object({ status: z.string(), fileId: id.optional(), error: z.string().optional() }));
export const templateViewSchema = z.object({
  id,
  title: z.string(),
  description: z.string().optional(),
  status: z.string(),
  global: z.boolean(),
  userId: id,
  instanceId: id,
  duration: z.number().optional(),
  sourceTimelineId: id.optional(),
  created: millis.optional(),
  updated: millis.optional(),
});
export const timelineViewSchema = z.object({
  id,
  title: z.string(),
  description: z.string().optional(),
  userId: id,
  instanceId: id,
  duration: z.number().optional(),
  tracks: z.array(trackSchema),
  created: millis.optional(),
  updated: millis.optional(),
});
