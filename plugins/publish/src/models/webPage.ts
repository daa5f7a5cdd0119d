import { Schema, type Connection, type Model } from '@mediahost/core';

/** VideoCMS's WebPage: a public page an admin writes; `html` is stored sanitized (services/pageHtml.ts), never as given. */
export interface WebPageDoc {
  _id: number;
  /** Unique; ends with "/" as VideoCMS stores it ("about/"). */
  path: string;
  title: string;
  html: string;
  listInFooter: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const webPageSchema = new Schema<WebPageDoc>(
  {
    _id: { type: Number, required: true },
    path: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    html: { type: String, default: '' },
    listInFooter: { type: Boolean, default: false },
  },
  { timestamps: true },
);

export function webPageModel(db: Connection): Model<WebPageDoc> {
  return db.model<WebPageDoc>('PublishWebPage', webPageSchema, 'publish_pages');
}
