import { ForbiddenError, HttpError, type Model } from '@mediahost/core';
import type { PublishConfig } from '../config.js';
import type { AccountSettingsDoc } from '../models/accountSettings.js';
import { SYSTEM_SETTINGS_ID, type SystemSettingsDoc } from '../models/systemSettings.js';
import type { QuotaLimits } from './uploadQuota.js';

/** What one owner may do now: the configuration, narrowed by the admin's platform settings and the owner's own limits. */
export interface OwnerLimits {
  uploadEnabled: boolean;
  /** Uploads are off for everyone (platform settings), not only for this owner. */
  uploadsOffForAll: boolean;
  quota: QuotaLimits;
  remoteDownloadsOffForAll: boolean;
  remoteDownloadEnabled: boolean;
  maxRemoteDownloads: number;
}

/**
 * The limits every route that takes bytes or queues work applies to an owner (tus, direct upload, copies, remote
 * downloads), read by _id from the platform settings and the owner's settings on each use, so an admin's change
 * holds at once in every process.
 */
export class AccountLimits {
  constructor(
    private readonly config: PublishConfig,
    private readonly system: Model<SystemSettingsDoc>,
    private readonly accounts: Model<AccountSettingsDoc>,
  ) {}

  async systemSettings(): Promise<SystemSettingsDoc> {
    return (await this.system.findById(SYSTEM_SETTINGS_ID).lean<SystemSettingsDoc>()) ?? { _id: SYSTEM_SETTINGS_ID };
  }

  async accountSettings(owner: string): Promise<AccountSettingsDoc> {
    return (await this.accounts.findById(owner).lean<AccountSettingsDoc>()) ?? { _id: owner, enablePlayerCaptcha: false };
  }

  async of(owner: string): Promise<OwnerLimits> {
    const [system, own] = await Promise.all([this.systemSettings(), this.accountSettings(owner)]);
    const uploadsOffForAll = system.uploadEnabled === false;
    const remoteDownloadsOffForAll = !this.config.remoteDownloads.enabled || system.remoteDownloadEnabled === false;
    return {
      uploadsOffForAll,
      uploadEnabled: !uploadsOffForAll && own.uploadEnabled !== false,
      quota: {
        maxUploadBytes: Math.min(this.config.maxUploadBytes, system.maxUploadBytes ?? Infinity),
        maxPendingUploadBytes: this.config.quota.maxPendingUploadBytes,
        maxStoredBytes: own.storageBytes || this.config.quota.maxStoredBytes,
      },
      remoteDownloadsOffForAll,
      remoteDownloadEnabled: !remoteDownloadsOffForAll && own.remoteDownloadEnabled !== false,
      maxRemoteDownloads: own.maxRemoteDownloads || this.config.remoteDownloads.maxActivePerUser,
    };
  }

  /** VideoCMS's CaptchaEnabled and CaptchaLoginEnabled: API logins then carry a solved captcha (after apiLogin.captchaAfterFailures). */
  async loginCaptchaRequired(): Promise<boolean> {
    const system = await this.systemSettings();
    return !!system.captchaEnabled && !!system.captchaLoginEnabled;
  }

  /** VideoCMS's CaptchaEnabled with CaptchaPlayerEnabled for everyone, or the owner's own EnablePlayerCaptcha. */
  async playerCaptchaRequired(owner: string): Promise<boolean> {
    const [system, own] = await Promise.all([this.systemSettings(), this.accountSettings(owner)]);
    return !!system.captchaEnabled && (!!system.captchaPlayerEnabled || own.enablePlayerCaptcha);
  }

  /** Throws VideoCMS's refusal when the owner may not upload: 503 for everyone, 403 for this owner. */
  async assertMayUpload(owner: string): Promise<OwnerLimits> {
    const limits = await this.of(owner);
    if (limits.uploadsOffForAll) throw new HttpError(503, 'unavailable', 'Uploads are disabled');
    if (!limits.uploadEnabled) throw new ForbiddenError('Uploads are disabled for this user');
    return limits;
  }

  /** Throws VideoCMS's refusal when the owner may not queue remote downloads: 503 for everyone, 403 for this owner. */
  async assertMayDownload(owner: string): Promise<OwnerLimits> {
    const limits = await this.of(owner);
    if (limits.remoteDownloadsOffForAll) throw new HttpError(503, 'unavailable', 'Remote downloads are disabled');
    if (!limits.remoteDownloadEnabled) throw new ForbiddenError('Remote downloads are disabled for this user');
    return limits;
  }
}
