/**
 * The driver's errors that say the database could not be reached. Matched by class name along the prototype chain,
 * not instanceof: mongoose may load its own copy of the driver, whose classes are not the ones core imports.
 * MongoNetworkError covers its subclasses (timeouts, the pool cleared by a lost server).
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

function classNames(error: Error): string[] {
  const names: string[] = [error.name];
  for (let proto = Object.getPrototypeOf(error); proto && proto !== Error.prototype; proto = Object.getPrototypeOf(proto)) {
    names.push((proto.constructor as { name?: string } | undefined)?.name ?? '');
  }
  return names;
}

/**
 * A connection to the database cut under an operation surfaces as the bare system error of its socket write or
 * read; in a request, nothing else gives these (the client's own socket errors never reach the middleware).
 */
const CUT_CONNECTION = new Set(['EPIPE', 'ECONNRESET']);

/** Whether an error says the database could not be reached (down, restarting, connection lost), rather than refused the operation. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  if (classNames(error).some((name) => UNREACHABLE.has(name))) return true;
  if (CUT_CONNECTION.has((error as NodeJS.ErrnoException).code ?? '')) return true;
  return error.cause !== undefined && error.cause !== error && isDatabaseUnavailable(error.cause, depth + 1);
}
