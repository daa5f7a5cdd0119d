import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { MediaBinaries } from './locateBinaries.js';
import { mergeMediaNeeds, type MediaNeedKind, type MediaNeeds } from './mediaNeeds.js';

const run = promisify(execFile);

/** The oldest ffmpeg the plugins are tested with (Debian 12's). */
export const MINIMUM_FFMPEG_VERSION: [number, number] = [5, 1];
const INSTALL_HINT =
  `Install Debian's ffmpeg (apt-get install ffmpeg; ${MINIMUM_FFMPEG_VERSION.join('.')} on Debian 12), ` +
  'or set ffmpegPath and ffprobePath in conf/serverConf.json to binaries that have them.';

/** The installed ffmpeg lacks what the plugins need, or is missing: the process must not start. */
export class MediaToolchainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaToolchainError';
  }
}

export interface MediaCapabilities {
  version: string;
  encoders: Set<string>;
  decoders: Set<string>;
  muxers: Set<string>;
  demuxers: Set<string>;
  filters: Set<string>;
  protocols: Set<string>;
}

async function output(binary: string, args: string[]): Promise<string> {
  const { stdout } = await run(binary, ['-hide_banner', ...args], { maxBuffer: 16 * 1024 * 1024, timeout: 30_000 });
  return stdout;
}

/** Codec lists: a legend, a line of dashes, then "<6 flags> <name> <description>". */
function codecNames(text: string): Set<string> {
  const names = new Set<string>();
  let listing = false;
  for (const line of text.split('\n')) {
    if (/^\s*-{3,}\s*$/.test(line)) listing = true;
    else if (listing) {
      const name = line.trim().split(/\s+/)[1];
      if (name) names.add(name);
    }
  }
  return names;
}

/** Format lists: a legend, "--", then "<D|space><E|space> <name[,alias…]> <description>". */
function formatNames(text: string, flag: 'D' | 'E'): Set<string> {
  const names = new Set<string>();
  let listing = false;
  for (const line of text.split('\n')) {
    if (/^\s*--\s*$/.test(line)) listing = true;
    else if (listing) {
      const match = /^\s([D ])([E ])d?\s+(\S+)/.exec(line);
      if (match && (flag === 'D' ? match[1] === 'D' : match[2] === 'E')) for (const name of match[3]!.split(',')) names.add(name);
    }
  }
  return names;
}

function filterNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s[T.][S.][C.]\s+(\S+)\s+\S*->\S*/.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

function protocolNames(text: string): Set<string> {
  return new Set(text.split('\n').filter((line) => /^\s+\S+$/.test(line)).map((line) => line.trim()));
}

export async function readCapabilities(ffmpeg: string): Promise<MediaCapabilities> {
  const [version, encoders, decoders, muxers, demuxers, filters, protocols] = await Promise.all(
    [['-version'], ['-encoders'], ['-decoders'], ['-muxers'], ['-demuxers'], ['-filters'], ['-protocols']].map((args) => output(ffmpeg, args)),
  );
  return {
    version: /^ffmpeg version (\S+)/m.exec(version!)?.[1] ?? 'unknown',
    encoders: codecNames(encoders!),
    decoders: codecNames(decoders!),
    muxers: formatNames(muxers!, 'E'),
    demuxers: formatNames(demuxers!, 'D'),
    filters: filterNames(filters!),
    protocols: protocolNames(protocols!),
  };
}

/** "5.1.9-0+deb12u1" → [5, 1]; development builds ("N-110000-g…") have no number and are judged by their capabilities alone. */
export function versionNumber(version: string): [number, number] | undefined {
  const match = /^n?(\d+)\.(\d+)/.exec(version);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

async function filterOptions(ffmpeg: string, filter: string): Promise<Set<string>> {
  const text = await output(ffmpeg, ['-h', `filter=${filter}`]).catch(() => '');
  return new Set([...text.matchAll(/^\s{2,}([a-z_][\w-]*)\s+<\w+>/gim)].map((match) => match[1]!));
}

const KIND_LABEL: Record<MediaNeedKind, string> = {
  encoders: 'encoder',
  decoders: 'decoder',
  muxers: 'muxer',
  demuxers: 'demuxer',
  filters: 'filter',
  protocols: 'protocol',
};

export interface ToolchainReport {
  binaries: MediaBinaries;
  version: string;
}

/**
 * Checks that ffmpeg and ffprobe exist, run, are recent enough and have every encoder, muxer, filter (and filter
 * option) the plugins declared. Throws one MediaToolchainError that says what was found, what it lacks, and how to fix it.
 */
export async function checkMediaToolchain(
  found: { ffmpeg?: string; ffprobe?: string },
  needsByPlugin: Map<string, MediaNeeds>,
): Promise<ToolchainReport> {
  const absent = (['ffmpeg', 'ffprobe'] as const).filter((name) => !found[name]);
  if (absent.length) {
    throw new MediaToolchainError(`mediahost needs ffmpeg and ffprobe ≥ ${MINIMUM_FFMPEG_VERSION.join('.')}: ${absent.join(' and ')} not found on PATH nor set in conf/serverConf.json. ${INSTALL_HINT}`);
  }
  const binaries = found as MediaBinaries;
  for (const name of ['ffmpeg', 'ffprobe'] as const) {
    await output(binaries[name], ['-version']).catch((error: Error) => {
      throw new MediaToolchainError(`mediahost cannot run ${name} at ${binaries[name]}: ${error.message.split('\n')[0]}. ${INSTALL_HINT}`);
    });
  }
  const capabilities = await readCapabilities(binaries.ffmpeg);
  const lacks: string[] = [];
  const number = versionNumber(capabilities.version);
  const [major, minor] = MINIMUM_FFMPEG_VERSION;
  if (number && (number[0] < major || (number[0] === major && number[1] < minor))) lacks.push(`version ≥ ${major}.${minor}`);
  for (const [kind, needs] of mergeMediaNeeds(needsByPlugin)) {
    for (const [need, owners] of needs) {
      const [name, option] = need.split('=') as [string, string | undefined];
      const available = capabilities[kind].has(name) && (!option || (await filterOptions(binaries.ffmpeg, name)).has(option));
      if (!available) lacks.push(`${KIND_LABEL[kind]} ${option ? `${name} with option ${option}` : name} (${owners.join(', ')})`);
    }
  }
  if (lacks.length) {
    throw new MediaToolchainError(`The ffmpeg found at ${binaries.ffmpeg} (version ${capabilities.version}) lacks what mediahost needs: ${lacks.join('; ')}. ${INSTALL_HINT}`);
  }
  return { binaries, version: capabilities.version };
}
