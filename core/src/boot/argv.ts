import { parseArgs } from 'node:util';
import type { ProcessRole } from '../plugins/contract.js';

export type Command =
  | { kind: 'serve'; role: ProcessRole }
  | { kind: 'create-user'; email: string; role?: string }
  | { kind: 'create-application'; name: string; scopes: string[] }
  | { kind: 'install-database' }
  | { kind: 'rotate-token-key' }
  | { kind: 'help' };

export interface Invocation {
  command: Command;
  confDir?: string;
}

export const USAGE = `Usage:
  node server.js                      start the back office
  node server.js -ws                  start the web service
  node server.js -worker              run jobs only
  node server.js --create-user EMAIL --password-stdin [--role admin]
  node server.js --create-application NAME [--scopes a,b]
  node server.js --install-database   build the embedded FerretDB now
  node server.js --rotate-token-key   sign new access tokens with a new key (docs/tokens.md)
Options:
  --conf DIR                          conf folder (default: MEDIAHOST_CONF or ./conf)`;

export class UsageError extends Error {}

/** OpenVeo spells its process flags with one dash (-ws); both spellings are accepted. */
export function parseInvocation(argv: string[]): Invocation {
  const normalized = argv.map((arg) => (arg === '-ws' || arg === '-worker' ? `-${arg}` : arg));
  let parsed;
  try {
    parsed = parseArgs({
      args: normalized,
      strict: true,
      allowPositionals: false,
      options: {
        ws: { type: 'boolean' },
        worker: { type: 'boolean' },
        conf: { type: 'string' },
        'create-user': { type: 'string' },
        'password-stdin': { type: 'boolean' },
        role: { type: 'string' },
        'create-application': { type: 'string' },
        scopes: { type: 'string' },
        'install-database': { type: 'boolean' },
        'rotate-token-key': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  const confDir = values.conf;
  const picked = [values.ws, values.worker, values['create-user'] !== undefined, values['create-application'] !== undefined, values['install-database'], values['rotate-token-key']].filter(Boolean);
  if (picked.length > 1) throw new UsageError('Choose one of -ws, -worker, --create-user, --create-application, --install-database, --rotate-token-key');
  if (values.help) return { command: { kind: 'help' }, confDir };
  if (values['create-user'] !== undefined) {
    if (!values['password-stdin']) throw new UsageError('--create-user needs --password-stdin (the password is read from standard input, never from the command line)');
    return { command: { kind: 'create-user', email: values['create-user'], role: values.role }, confDir };
  }
  if (values['create-application'] !== undefined) {
    const scopes = (values.scopes ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    return { command: { kind: 'create-application', name: values['create-application'], scopes }, confDir };
  }
  if (values['install-database']) return { command: { kind: 'install-database' }, confDir };
  if (values['rotate-token-key']) return { command: { kind: 'rotate-token-key' }, confDir };
  return { command: { kind: 'serve', role: values.ws ? 'ws' : values.worker ? 'worker' : 'app' }, confDir };
}
