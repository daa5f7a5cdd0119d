// Run before `pnpm start`: Debian's ffmpeg when neither PATH nor conf/serverConf.json provides one.
// The platform itself checks at start that the ffmpeg it finds has what every plugin needs, and says what is missing.
import { existsSync, readFileSync } from 'node:fs';
import { ensureDebianPackages, onPath } from './debianPackages.js';

const confFile = new URL('../conf/serverConf.json', import.meta.url);
const conf = existsSync(confFile) ? JSON.parse(readFileSync(confFile, 'utf8')) : {};
if (!conf.ffmpegPath) ensureDebianPackages([{ pkg: 'ffmpeg', present: () => onPath('ffmpeg')() && onPath('ffprobe')() }], 'mediahost');
