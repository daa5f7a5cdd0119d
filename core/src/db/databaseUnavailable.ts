import {
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

// MongoNetworkError covers its subclasses: timeouts and the pool cleared by a lost server.
const UNREACHABLE = [MongoServerSelectionError, MongoNetworkError, MongoNotConnectedError, MongoTopologyClosedError];

/** Whether an error says the database could not be reached (down, restarting, connection lost), rather than refused the operation. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (UNREACHABLE.some((type) => error instanceof type)) return true;
  // mongoose's own class for a failed first connection, and errors that wrap a driver error
  return error.name === 'MongooseServerSelectionError' || (error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause));
}
