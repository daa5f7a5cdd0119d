import { Schema, type Connection, type Model } from '@mediahost/core';

/**
 * One minute of one web-service process's host, as VideoCMS's system_resources rows: CPU and memory in percent,
 * network and disk in bytes per second, and the encoding queue (qualities, audio and subtitle tracks still to make;
 * absent on samples of earlier versions). `_id` is `<process id>:<minute>`, inserted once.
 */
export interface SystemSampleDoc {
  _id: string;
  at: Date;
  cpu: number;
  mem: number;
  netIn: number;
  netOut: number;
  diskR: number;
  diskW: number;
  encQualities?: number;
  encAudios?: number;
  encSubtitles?: number;
}

const systemSampleSchema = new Schema<SystemSampleDoc>({
  _id: { type: String, required: true },
  at: { type: Date, required: true },
  cpu: Number,
  mem: Number,
  netIn: Number,
  netOut: Number,
  diskR: Number,
  diskW: Number,
  encQualities: Number,
  encAudios: Number,
  encSubtitles: Number,
});

export function systemSampleModel(db: Connection): Model<SystemSampleDoc> {
  return db.model<SystemSampleDoc>('PublishSystemSample', systemSampleSchema, 'publish_system_samples');
}
