import { randomInt } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomChars(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** OpenVidu's identifiers: ses_ + 10, con_ + 10, tok_ + 16 characters. */
export const newSessionId = () => `ses_${randomChars(10)}`;
export const newConnectionId = () => `con_${randomChars(10)}`;
export const newToken = () => `tok_${randomChars(16)}`;

const VIDEO_PREFIX: Record<string, string> = { CAMERA: 'CAM', SCREEN: 'SCR', CUSTOM: 'CUS', IPCAM: 'IPC' };

/** str_<CAM|SCR|CUS|MIC|IPC>_<4 chars>_<connectionId>. */
export function newStreamId(connectionId: string, typeOfVideo: string | undefined, hasVideo: boolean): string {
  const prefix = hasVideo ? (VIDEO_PREFIX[typeOfVideo ?? 'CAMERA'] ?? 'CAM') : 'MIC';
  return `str_${prefix}_${randomChars(4)}_${connectionId}`;
}
