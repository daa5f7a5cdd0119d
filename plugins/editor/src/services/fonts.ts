import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError, ConflictError, NotFoundError, safeDownload, type Model, type Storage, type NumericIds } from '@mediahost/core';
import type { FontDoc } from '../models/font.js';
import type { InstanceDoc } from '../models/instance.js';
import { mediaLayout } from './mediaLayout.js';

const MAX_FONT_BYTES = 20 * 1024 * 1024;
/** sfnt versions of TrueType fonts: 0x00010000 and Apple's "true" (OpenType-CFF "OTTO" is not a .ttf). */
const TTF_MAGIC = [Buffer.from([0, 1, 0, 0]), Buffer.from('true')];

async function isTrueType(file: string): Promise<boolean> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, 12, 0);
    if (bytesRead < 12 || !TTF_MAGIC.some((magic) => head.subarray(0, 4).equals(magic))) return false;
    const tables = head.readUInt16BE(4);
    return tables > 0 && tables < 200;
  } finally {
    await handle.close();
  }
}

export interface FontSettingsInput {
  disableDefaultFonts?: boolean;
  standardFont?: string;
  textColors?: string;
  allColors?: boolean;
}

/** Custom fonts per instance, the default fonts of the platform, and which .ttf a text is drawn with. */
export class Fonts {
  constructor(
    private readonly fonts: Model<FontDoc>,
    private readonly ids: NumericIds,
    private readonly storage: Storage,
    private readonly defaults: Record<string, string>,
    private readonly download: { allowedNetworks: string[]; timeoutMs: number },
  ) {}

  async add(instance: InstanceDoc, url: string, name: string): Promise<FontDoc> {
    if (await this.fonts.exists({ instanceId: instance._id, name, removed: false })) throw new ConflictError(`The instance already has a font named ${name}`);
    const _id = await this.ids.next('font');
    const key = mediaLayout.font(instance._id, _id);
    const bytes = await this.storage.withScratch(`font-${_id}`, async (dir) => {
      const fetched = path.join(dir, 'font.ttf');
      const size = await this.fetchChecked(url, fetched);
      await this.storage.putFile(key, fetched);
      return size;
    });
    try {
      // a font added again under a removed one's name takes its place
      await this.fonts.deleteMany({ instanceId: instance._id, name, removed: true });
      return (await this.fonts.create({ _id, instanceId: instance._id, name, size: bytes, removed: false })).toObject();
    } catch (error) {
      await this.storage.remove(key);
      if ((error as { code?: number }).code === 11000) throw new ConflictError(`The instance already has a font named ${name}`);
      throw error;
    }
  }

  private async fetchChecked(url: string, target: string): Promise<number> {
    try {
      const { bytes } = await safeDownload(url, target, { maxBytes: MAX_FONT_BYTES, timeoutMs: this.download.timeoutMs, allowedNetworks: this.download.allowedNetworks });
      if (!(await isTrueType(target))) throw new BadRequestError('The URL does not point to a valid .ttf font file');
      return bytes;
    } catch (error) {
      await rm(target, { force: true });
      throw error;
    }
  }

  list(instanceId: number): Promise<FontDoc[]> {
    return this.fonts.find({ instanceId, removed: false }).sort({ name: 1 }).lean<FontDoc[]>().exec();
  }

  /** Takes the font off the editor's list; timelines that use it still render with it, as the reference says. */
  async remove(instanceId: number, name: string): Promise<void> {
    const { modifiedCount } = await this.fonts.updateMany({ instanceId, name, removed: false }, { $set: { removed: true } });
    if (!modifiedCount) throw new NotFoundError(`No custom font named ${name}`);
  }

  /** The names the editor offers: the custom fonts, and the default ones unless the instance disabled them. */
  async available(instance: InstanceDoc): Promise<string[]> {
    const custom = (await this.list(instance._id)).map((f) => f.name);
    return instance.fontSettings?.disableDefaultFonts ? custom : [...Object.keys(this.defaults), ...custom];
  }

  /**
   * The .ttf for a text's font: a custom font of the instance (even one removed since), a default font, else the
   * standard one. The custom fonts among `used` (and the standard one) are fetched into the local folder `dir`.
   */
  async resolver(instance: InstanceDoc, dir: string, used: (string | undefined)[]): Promise<(name: string | undefined) => string> {
    const wanted = [...used, instance.fontSettings?.standardFont].filter((name): name is string => !!name);
    const custom = await this.fonts.find({ instanceId: instance._id, name: { $in: wanted } }).lean<FontDoc[]>();
    const byName = new Map<string, string>();
    for (const f of custom) {
      const local = path.join(dir, `font-${f._id}.ttf`);
      await this.storage.getFile(mediaLayout.font(instance._id, f._id), local);
      byName.set(f.name, local);
    }
    const fallback = Object.values(this.defaults)[0] ?? '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    const find = (name: string | undefined) => (name ? (byName.get(name) ?? this.defaults[name]) : undefined);
    return (name) => find(name) ?? find(instance.fontSettings?.standardFont) ?? fallback;
  }
}
