/** A signed-in back-office user as route guards and plugins see it: who, and what their roles grant. */
export interface BackOfficeUser {
  id: string;
  email: string;
  name: string;
  permissions: Set<string>;
  /** Renewed whenever the user's password changes: a token a plugin issued under another stamp must be refused. */
  credentialsStamp: string;
}
