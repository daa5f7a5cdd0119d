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
  },
  { timestamps: true },
);

/** Keyed by the token's hash: FerretDB's SQLite backend answers _id lookups without scanning the collection. */
const accessTokenSchema = new Schema({
  _id: { type: String, required: true },
  applicationId: { type: String, required: true, index: true },
  clientId: { type: String, required: true },
  scopes: { type: [String], default: [] },
  expiresAt: { type: Date, required: true, index: true },
});

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: import('mongoose').Types.ObjectId };
export type RoleDoc = InferSchemaType<typeof roleSchema> & { _id: import('mongoose').Types.ObjectId };
export type GroupDoc = InferSchemaType<typeof groupSchema> & { _id: import('mongoose').Types.ObjectId };
export type ApplicationDoc = InferSchemaType<typeof applicationSchema> & { _id: import('mongoose').Types.ObjectId };
export type AccessTokenDoc = InferSchemaType<typeof accessTokenSchema>;

export interface IdentityModels {
  User: Model<UserDoc>;
  Role: Model<RoleDoc>;
  Group: Model<GroupDoc>;
  Application: Model<ApplicationDoc>;
  AccessToken: Model<AccessTokenDoc>;
}

export function identityModels(connection: Connection): IdentityModels {
  return {
    User: connection.model<UserDoc>('User', userSchema, 'core_users'),
    Role: connection.model<RoleDoc>('Role', roleSchema, 'core_roles'),
    Group: connection.model<GroupDoc>('Group', groupSchema, 'core_groups'),
    Application: connection.model<ApplicationDoc>('Application', applicationSchema, 'core_applications'),
    AccessToken: connection.model<AccessTokenDoc>('AccessToken', accessTokenSchema, 'core_access_tokens'),
  };
}
