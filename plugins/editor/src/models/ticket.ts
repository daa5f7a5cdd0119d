import { Schema, type Connection, type Model } from '@mediahost/core';

/** Who asked for a stored media: the ingest job opens it again as them, with their rights then. */
export type StoredRequester = { kind: 'application'; applicationId: string; subject: string } | { kind: 'user'; userId: string };

export type TicketStatus = 'TICKET_REGISTERED' | 'COMPLETED' | 'FAILED';

/** An import or upload on its way to becoming a media file; `_id` is WeVideo's "2018_06_11_<uuid>". */
export interface TicketDoc {
  _id: string;
  applicationId: string;
  instanceId: number;
  userId: number;
  folderId: number;
  origin: 'import' | 'upload';
  url?: string;
  /** Set when `url` names a media another plugin keeps (publish): who asked, to open it again from storage when ingesting. */
  storedFor?: StoredRequester;
  proxyUrl?: string;
  title?: string;
  /** Uploads: the size announced, the most the PUT may send, and when the PUT URL stops working. */
  size?: number;
  expiresAt?: Date;
  uploaded?: boolean;
  status: TicketStatus;
  fileId?: number;
  error?: string;
  jobId?: string;
  createdAt: Date;
}

const ticketSchema = new Schema<TicketDoc>(
  {
    _id: { type: String, required: true },
    applicationId: { type: String, required: true },
    instanceId: { type: Number, required: true },
    userId: { type: Number, required: true },
    folderId: { type: Number, required: true },
    origin: { type: String, required: true },
    url: String,
    storedFor: { type: Schema.Types.Mixed },
    proxyUrl: String,
    title: String,
    size: Number,
    expiresAt: Date,
    uploaded: Boolean,
    status: { type: String, required: true },
    fileId: Number,
    error: String,
    jobId: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

export function ticketModel(db: Connection): Model<TicketDoc> {
  return db.model<TicketDoc>('EditorTicket', ticketSchema, 'editor_tickets');
}
