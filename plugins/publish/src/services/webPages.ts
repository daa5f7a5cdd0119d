import { BadRequestError, NotFoundError, type Model, type NumericIds } from '@mediahost/core';
import type { WebPageDoc } from '../models/webPage.js';
import { sanitizePageHtml } from './pageHtml.js';

export interface PageInput {
  path: string;
  title: string;
  html: string;
  listInFooter: boolean;
}

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;
/** VideoCMS stores a page's path with a trailing slash. */
export const normalPath = (path: string) => (path.endsWith('/') ? path : `${path}/`);

/** The admin's public pages; their HTML is sanitized on every write, their path unique (the database's unique index decides). */
export class WebPages {
  constructor(
    private readonly pages: Model<WebPageDoc>,
    private readonly counters: NumericIds,
  ) {}

  list(): Promise<WebPageDoc[]> {
    return this.pages.find().sort({ _id: 1 }).lean<WebPageDoc[]>().exec();
  }

  async byPath(path: string): Promise<WebPageDoc> {
    const page = await this.pages.findOne({ path: normalPath(path) }).lean<WebPageDoc>();
    if (!page) throw new NotFoundError('Page not found');
    return page;
  }

  async create(input: PageInput): Promise<WebPageDoc> {
    const id = await this.counters.next('page');
    return this.unique(async () => (await this.pages.create({ _id: id, ...this.stored(input) })).toObject());
  }

  async update(id: number, input: PageInput): Promise<WebPageDoc> {
    const page = await this.unique(() => this.pages.findByIdAndUpdate(id, { $set: this.stored(input) }, { returnDocument: 'after' }).lean<WebPageDoc>());
    if (!page) throw new NotFoundError('Webpage not found');
    return page;
  }

  async remove(id: number): Promise<void> {
    const { deletedCount } = await this.pages.deleteOne({ _id: id });
    if (!deletedCount) throw new NotFoundError('Webpage not found');
  }

  private stored(input: PageInput): PageInput {
    return { path: normalPath(input.path), title: input.title, html: sanitizePageHtml(input.html), listInFooter: input.listInFooter };
  }

  private async unique<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicate(error)) throw new BadRequestError('Path already used');
      throw error;
    }
  }
}
