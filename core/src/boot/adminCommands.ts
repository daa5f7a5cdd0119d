import { ADMIN_ROLE } from '../identity/catalog.js';
import { OPERATOR } from '../identity/delegation.js';
import type { Platform } from './platform.js';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** --create-user EMAIL --password-stdin [--role NAME]: prints the created user as JSON. */
export async function createUserCommand(platform: Platform, email: string, role: string | undefined): Promise<void> {
  const password = await readStdin();
  if (role === ADMIN_ROLE) await platform.roles.ensureAdminRole();
  const user = await platform.users.create({ email, password, roles: role ? [role] : [] }, OPERATOR);
  process.stdout.write(`${JSON.stringify({ id: user.id, email: user.email, roles: user.roles })}\n`);
}

/** --create-application NAME [--scopes a,b]: prints {"clientId", "clientSecret"}; the secret is not kept anywhere. */
export async function createApplicationCommand(platform: Platform, name: string, scopes: string[]): Promise<void> {
  const app = await platform.applications.create({ name, scopes });
  process.stdout.write(`${JSON.stringify({ clientId: app.clientId, clientSecret: app.clientSecret, scopes: app.scopes })}\n`);
}
