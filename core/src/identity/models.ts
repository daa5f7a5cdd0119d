import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    name: { type: String, default: '' },
    passwordHash: { type: String, required: true },
    /** Random, renewed with the password: sessions and plugin tokens carrying another one are void. */
    credentialsStamp: { type: String },
    roles: { type: [String], default: [] },
    groups: { type: [String], default: [] },
  },
  { timestamps: true },
);

const roleSchema = new Schema(
  {
    name: { type: String, required: true, unique: true, trim: true },
    permissions: { type: [String], default: [] },
  },
  { timestamps: true },
);

const groupSchema = new Schema(
  {
    name: { type: String, required: true, unique: true, trim: true },
    description: { type: String, default: '' },
  },
  { timestamps: true },
);

const applicationSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    clientId: { type: String, required: true, unique: true },
    secretHash: { type: String, required: true, index: true },
    /** The secret encrypted under the data folder's key, for HMAC auth schemes that must recompute signatures. */
    sealedSecret: { type: String },
    scopes: { type: [String], default: [] },
    /** Changes when the secret is renewed: access tokens carry it, so older ones stop working. */
    generation: { type: Number, default: 0 },
  },
  { timestamps: true },
);

/** Revoked access tokens until they would have expired: read whole only when a process starts. */
const revokedTokenSchema = new Schema({
  _id: { type: String, required: true },
  applicationId: { type: String, required: true },
  expiresAt: { type: Date, required: true, index: true },
});

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: import('mongoose').Types.ObjectId };
export type RoleDoc = InferSchemaType<typeof roleSchema> & { _id: import('mongoose').Types.ObjectId };
export type GroupDoc = InferSchemaType<typeof groupSchema> & { _id: import('mongoose').Types.ObjectId };
export type ApplicationDoc = InferSchemaType<typeof applicationSchema> & { _id: import('mongoose').Types.ObjectId };
export type RevokedTokenDoc = InferSchemaType<typeof revokedTokenSchema>;

export interface IdentityModels {
  User: Model<UserDoc>;
  Role: Model<RoleDoc>;
  Group: Model<GroupDoc>;
  Application: Model<ApplicationDoc>;
  RevokedToken: Model<RevokedTokenDoc>;
}

export function identityModels(connection: Connection): IdentityModels {
  return {
    User: connection.model<UserDoc>('User', userSchema, 'core_users'),
    Role: connection.model<RoleDoc>('Role', roleSchema, 'core_roles'),
    Group: connection.model<GroupDoc>('Group', groupSchema, 'core_groups'),
    Application: connection.model<ApplicationDoc>('Application', applicationSchema, 'core_applications'),
    RevokedToken: connection.model<RevokedTokenDoc>('RevokedToken', revokedTokenSchema, 'core_revoked_tokens'),
  };
}
