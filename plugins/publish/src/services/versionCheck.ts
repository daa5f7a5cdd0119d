import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { HttpError, safeDownload, ServiceUnavailableError } from '@mediahost/core';
import type { PublishConfig } from '../config.js';

const RELEASE_MAX_BYTES = 256 * 1024;

/** This plugin's version, as its package states it. */
export async function currentVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export type VersionVerdict = { latest: true; current: string } | { latest: false; current: string; newest: string };

/** VideoCMS's version check against the configured release document: equal tags are the latest, any other is newer. */
export class VersionCheck {
  constructor(
    private readonly config: PublishConfig['versionCheck'],
    private readonly tempDir: string,
    private readonly allowedNetworks: string[],
  ) {}

  async check(): Promise<VersionVerdict> {
    if (!this.config.url) throw new ServiceUnavailableError(3600, 'The version check is not configured (versionCheck.url in publishConf.json)');
    const file = path.join(this.tempDir, `release-${randomBytes(8).toString('hex')}.json`);
    let newest: unknown;
    try {
      await mkdir(this.tempDir, { recursive: true });
      await safeDownload(this.config.url, file, { maxBytes: RELEASE_MAX_BYTES, timeoutMs: this.config.timeoutSeconds * 1000, allowedNetworks: this.allowedNetworks });
      newest = (JSON.parse(await readFile(file, 'utf8')) as { tag_name?: unknown }).tag_name;
    } catch (error) {
      throw new HttpError(502, 'bad_gateway', `Error fetching version: ${(error as Error).message}`);
    } finally {
      await rm(file, { force: true });
    }
    if (typeof newest !== 'string' || !newest.trim()) throw new HttpError(502, 'bad_gateway', 'Error fetching version: latest release tag is empty');
    const current = await currentVersion();
    const normal = (tag: string) => tag.trim().replace(/^v/, '');
    return normal(newest) === normal(current) ? { latest: true, current } : { latest: false, current, newest: newest.trim() };
  }
}
