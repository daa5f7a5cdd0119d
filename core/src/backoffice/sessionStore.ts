import { Schema, type Connection } from 'mongoose';

interface SessionDoc {
  _id: string;
  data: Record<string, unknown>;
  expiresAt: Date;
}

const sessionSchema = new Schema<SessionDoc>({
  _id: { type: String, required: true },
  data: { type: Schema.Types.Mixed, required: true },
  expiresAt: { type: Date, required: true, index: true },
});

/** koa-session external store: the cookie carries only a random id, the session lives in the database. */
export function sessionStore(connection: Connection) {
  const Session = connection.model<SessionDoc>('Session', sessionSchema, 'core_sessions');
  return {
    async get(key: string) {
      const session = await Session.findById(key).lean();
      if (!session || session.expiresAt.getTime() <= Date.now()) return undefined;
      return session.data;
    },
    async set(key: string, data: Record<string, unknown>, maxAge: number | 'session' | undefined) {
      const lifetime = typeof maxAge === 'number' ? maxAge : 24 * 3600 * 1000;
      await Session.updateOne({ _id: key }, { $set: { data, expiresAt: new Date(Date.now() + lifetime) } }, { upsert: true });
    },
    async destroy(key: string) {
      await Session.deleteOne({ _id: key });
      await Session.deleteMany({ expiresAt: { $lte: new Date() } });
    },
  };
}
