import path from 'node:path';

/** Where the editor keeps things in its storage folder. */
export const mediaLayout = {
  fileDir: (fileId: number) => `files/${fileId}`,
  source: (fileId: number, sourceName: string) => `files/${fileId}/${sourceName}`,
  proxy: (fileId: number) => `files/${fileId}/proxy.mp4`,
  /** An upload's bytes as the PUT delivers them. */
  upload: (ticketId: string) => `uploads/${ticketId}`,
  /** Work space of an import or export job, on the same disk as the files so a rename finishes it. */
  work: (id: string) => `work/${id}`,
  font: (instanceId: number, fontId: number) => `fonts/${instanceId}/${fontId}.ttf`,
};

export const safeExtension = (name: string) => (/^\.[a-z0-9]{1,8}$/i.test(path.extname(name)) ? path.extname(name).toLowerCase() : '');
