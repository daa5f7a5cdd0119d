// Run before `pnpm test`: what the end-to-end tests need besides node_modules. Installs it where it can (root with apt-get).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (spawnSync('curl', ['--version']).status !== 0) missing.push('curl');
// The editor tests run the WeVideo reference's own Python (requests) and Java signing samples.
if (spawnSync('python3', ['-c', 'import requests']).status !== 0) missing.push('python3-requests');
// The editor's default fonts, and the .ttf its font tests serve.
if (!existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf')) missing.push('fonts-dejavu-core');
// java runs Main.java from source, which needs the compiler of a JDK.
if (spawnSync('javac', ['-version']).status !== 0) missing.push('default-jdk-headless');

if (missing.length) {
  const canInstall = process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0;
  if (!canInstall) {
    process.stderr.write(`The tests need ${missing.join(' and ')}: install ${missing.join(' ')} (Debian packages), or set CHROMIUM_PATH.\n`);
    process.exit(1);
  }
  process.stderr.write(`Installing ${missing.join(', ')} with apt-get…\n`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

// The embedded FerretDB is built once (a few minutes the first time) before the tests start their clocks.
execFileSync(process.execPath, ['server.js', '--install-database'], { stdio: 'inherit' });
