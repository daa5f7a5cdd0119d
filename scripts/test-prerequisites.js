// Run before `pnpm test`: what the end-to-end tests need besides node_modules. Installs it where it can (root with apt-get).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureDebianPackages, onPath } from './debianPackages.js';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
ensureDebianPackages(
  [
    // The platform's media toolchain (the tests also check what it says when ffmpeg is absent or too old).
    { pkg: 'ffmpeg', present: () => onPath('ffmpeg')() && onPath('ffprobe')() },
    { pkg: 'chromium', present: () => existsSync(chromium) },
    { pkg: 'curl', present: onPath('curl', ['--version']) },
    // The editor tests run the WeVideo reference's own Python (requests) and Java signing samples.
    { pkg: 'python3-requests', present: onPath('python3', ['-c', 'import requests']) },
    // `pnpm fuzz` (test/apiFuzz.test.ts) installs schemathesis from PyPI into a venv.
    { pkg: 'python3-venv', present: onPath('python3', ['-c', 'import ensurepip']) },
    // The editor's default fonts, and the .ttf its font tests serve.
    { pkg: 'fonts-dejavu-core', present: () => existsSync('/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf') },
    // java runs Main.java from source, which needs the compiler of a JDK.
    { pkg: 'default-jdk-headless', present: onPath('javac') },
    // The live tests fetch openvidu-java-client from Maven Central with it (test/support/java/pom.xml).
    { pkg: 'maven', present: onPath('mvn', ['-v']) },
  ],
  'The tests',
);

// The embedded FerretDB is built once (a few minutes the first time) before the tests start their clocks.
execFileSync(process.execPath, ['server.js', '--install-database'], { stdio: 'inherit' });

// SeaweedFS, the S3 server of the storage tests, built once from the Go module proxy (several minutes the first time).
execFileSync(process.execPath, ['--import', 'tsx', 'test/support/installSeaweedfs.ts'], { stdio: 'inherit' });

// schemathesis, which fuzzes every API's OpenAPI document (test/apiFuzz.test.ts), from PyPI into a venv.
execFileSync(process.execPath, ['scripts/install-schemathesis.js'], { stdio: 'inherit' });

// The live plugin's mediasoup worker (a build of several minutes the first time where no prebuilt one can be downloaded).
execFileSync(process.execPath, ['plugins/live/scripts/install-mediasoup-worker.js'], { stdio: 'inherit' });
