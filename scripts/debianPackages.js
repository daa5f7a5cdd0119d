// Installs missing Debian packages with apt-get when this runs as root on Debian; otherwise says what to install.
import { execFileSync, spawnSync } from 'node:child_process';

/** `wanted`: [{ pkg, present: () => boolean }]. Exits the process with a message when something is missing and cannot be installed. */
export function ensureDebianPackages(wanted, purpose) {
  const missing = wanted.filter(({ present }) => !present()).map(({ pkg }) => pkg);
  if (!missing.length) return;
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    process.stderr.write(`${purpose} needs ${missing.join(', ')}: install them (Debian: apt-get install ${missing.join(' ')}), or run this as root to have them installed.\n`);
    process.exit(1);
  }
  process.stderr.write(`${purpose}: installing ${missing.join(', ')} with apt-get…\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

export const onPath = (command, args = ['-version']) => () => spawnSync(command, args).status === 0;
