import path from 'node:path';

/** Where the editor keeps things in its storage folder. */
export const mediaLayout = {
  fileDir: (fileId: number) => `files/${fileId}`,
  source: (fileId: number, sourceName: string) => `files/${fileId}/${sourceName}`,
  proxy: (fileId: number) => `files/${fileId}/proxy.mp4`,
  /** An upload's bytes as the PUT delivers them. */
  upload: (ticketId: string) => `uploads/${ticketId}`,
  font: (instanceId: number, fontId: number) => `fonts/${instanceId}/${fontId}.ttf`,
};

export const safeExtension = (name: string) => (/^\.[a-z0-9]{1,8}$/i.test(path.extname(name)) ? path.extname(name).toLowerCase() : '');
