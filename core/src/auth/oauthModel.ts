import type { ClientCredentialsModel, Client, Token, User } from '@node-oauth/oauth2-server';
import type { ApplicationDirectory } from '../identity/applicationDirectory.js';
import type { AccessTokens } from './accessTokens.js';
import { secretMatches } from '../credentials/secrets.js';

interface AppClient extends Client {
  scopes: string[];
  generation: number;
}

/**
 * @node-oauth/oauth2-server model for the client-credentials grant, on the in-memory application directory:
 * issuing a token reads and writes nothing in the database (the token is signed and carries its own claims).
 */
export function oauthModel(directory: ApplicationDirectory, tokens: AccessTokens, accessTokenLifetime: number): ClientCredentialsModel {
  return {
    async getClient(clientId: string, clientSecret: string) {
      if (typeof clientId !== 'string' || typeof clientSecret !== 'string' || !clientId || !clientSecret) return false;
      const app = await directory.byClientId(clientId);
      if (!app || !secretMatches(clientSecret, app.secretHash)) return false;
      const client: AppClient = {
        id: app.id,
        clientId,
        grants: ['client_credentials'],
        accessTokenLifetime,
        scopes: app.scopes,
        generation: app.generation,
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

    async generateAccessToken(client: Client, _user: User, scope: string[]): Promise<string> {
      const app = client as AppClient;
      return tokens.issue({
        applicationId: app.id,
        clientId: app.clientId as string,
        scopes: scope ?? [],
        generation: app.generation,
        expiresAt: Math.floor(Date.now() / 1000) + accessTokenLifetime,
      }).token;
    },

    async saveToken(token: Token, client: Client, user: User): Promise<Token> {
      return { ...token, client, user };
    },

    async getAccessToken(): Promise<false> {
      // Bearer tokens are checked by auth/bearer.ts, which needs the scope list and its own error bodies.
      return false;
    },
  } as ClientCredentialsModel;
}
