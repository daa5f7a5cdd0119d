import type { ClientCredentialsModel, Client, Token, User } from '@node-oauth/oauth2-server';
import type { IdentityModels } from '../identity/models.js';
import { generateSecret, hashSecret, secretMatches } from './secrets.js';

interface AppClient extends Client {
  scopes: string[];
}

/** @node-oauth/oauth2-server model for the client-credentials grant, on the core's applications. */
export function oauthModel(models: IdentityModels, accessTokenLifetime: number): ClientCredentialsModel {
  return {
    async getClient(clientId: string, clientSecret: string) {
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) return false;
      const app = await models.Application.findOne({ clientId }).lean();
      if (!app || !secretMatches(clientSecret, app.secretHash)) return false;
      const client: AppClient = {
        id: String(app._id),
        clientId,
        grants: ['client_credentials'],
        accessTokenLifetime,
        scopes: app.scopes,
      };
      return client;
    },

    async getUserFromClient(client: Client): Promise<User> {
      return { id: client.id };
    },

    /** No scope asked: every scope of the application. Asked: only scopes the application has. */
    async validateScope(_user: User, client: Client, requested?: string[]) {
      const granted = (client as AppClient).scopes;
      if (!requested?.length) return granted;
      return requested.every((scope) => granted.includes(scope)) ? requested : false;
    },

    async generateAccessToken(): Promise<string> {
      return generateSecret();
    },

    async saveToken(token: Token, client: Client, user: User): Promise<Token> {
      await models.AccessToken.create({
        _id: hashSecret(token.accessToken),
        applicationId: client.id,
        clientId: client.clientId as string,
        scopes: token.scope ?? [],
        expiresAt: token.accessTokenExpiresAt,
      });
      return { ...token, client, user };
    },

    async getAccessToken(): Promise<false> {
      // Bearer tokens are checked by auth/bearer.ts, which needs the scope list and its own error bodies.
      return false;
    },
  } as ClientCredentialsModel;
}
