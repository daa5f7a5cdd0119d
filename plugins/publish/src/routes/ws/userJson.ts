import type { PluginUser } from '@mediahost/core';
import type { OwnerLimits } from '../../services/accountLimits.js';
import type { AccountSettingsDoc } from '../../models/accountSettings.js';

/** What a user's VideoCMS account is made of here: the platform user, their settings and limits, and what they store. */
export interface AccountFigures {
  user: PluginUser;
  settings: AccountSettingsDoc;
  limits: OwnerLimits;
  usedBytes: number;
  files: number;
}

/** VideoCMS's UserSettings: webhooks have no per-user switch or cap here, nor upload sessions (the quota bounds them). */
export function userSettingsJson({ settings, limits }: Pick<AccountFigures, 'settings' | 'limits'>) {
  return {
    WebhooksEnabled: true,
    WebhooksMax: 0,
    UploadSessionsMax: 0,
    EnablePlayerCaptcha: settings.enablePlayerCaptcha,
    MaxRemoteDownloads: limits.maxRemoteDownloads,
    RemoteDownloadEnabled: limits.remoteDownloadEnabled,
    UploadEnabled: limits.uploadEnabled,
  };
}

/**
 * VideoCMS's UserResponse (admin /api/users). ID is the platform's user id (a string: users are the back office's);
 * Username is the sign-in email, as at login; Storage the quota in bytes that applies (0 is never "unlimited" here).
 */
export function userJson(figures: AccountFigures) {
  const { user, settings, limits } = figures;
  const settingsJson = userSettingsJson(figures);
  return {
    ID: user.id,
    CreatedAt: user.createdAt ?? null,
    UpdatedAt: user.createdAt ?? null,
    DeletedAt: null,
    Username: user.email,
    Name: user.name,
    Admin: user.admin,
    Email: user.email,
    Balance: settings.balance ?? 0,
    Storage: limits.quota.maxStoredBytes,
    Settings: settingsJson,
    MaxRemoteDownloads: settingsJson.MaxRemoteDownloads,
    RemoteDownloadEnabled: settingsJson.RemoteDownloadEnabled,
    UploadEnabled: settingsJson.UploadEnabled,
    used_storage: figures.usedBytes,
    file_count: figures.files,
  };
}
