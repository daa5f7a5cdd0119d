import type { Connection, Schema } from 'mongoose';

/** What the driver raises while the connection is known to be down: matched by isDatabaseUnavailable (its name). */
export class DatabaseDownError extends Error {
  override name = 'MongoNotConnectedError';
  constructor() {
    super('the database connection is down');
  }
}

const QUERY_OPERATIONS =
  /^(find|findOne|countDocuments|estimatedDocumentCount|distinct|updateOne|updateMany|replaceOne|deleteOne|deleteMany|findOneAndUpdate|findOneAndDelete|findOneAndReplace)$/;

/**
 * Once the driver has seen the server go (mongoose's readyState leaves "connected"), operations fail at once instead
 * of each waiting out the server selection timeout: a request making several reads would otherwise wait for each.
 * The driver's heartbeat puts the connection back as soon as the server answers again.
 */
export function failFastWhileDown(connection: Connection): (schema: Schema) => void {
  const down = () => connection.readyState !== 1;
  return (schema) => {
    schema.pre(QUERY_OPERATIONS, function () {
      if (down()) throw new DatabaseDownError();
    });
    schema.pre('save', function () {
      if (down()) throw new DatabaseDownError();
    });
    schema.pre('insertMany', function () {
      if (down()) throw new DatabaseDownError();
    });
    schema.pre('aggregate', function () {
      if (down()) throw new DatabaseDownError();
    });
  };
}
