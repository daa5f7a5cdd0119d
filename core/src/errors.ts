/** Typed errors. HTTP mapping happens once, in http/errorHandler.ts. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, details?: unknown) {
    super(400, 'bad_request', message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'Authentication required', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Forbidden', code = 'forbidden') {
    super(403, code, message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(message = 'Payload too large') {
    super(413, 'payload_too_large', message);
  }
}

/** Too many attempts: the client may try again after `retryAfterSeconds` (sent as Retry-After). */
export class TooManyRequestsError extends HttpError {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'Too many failed attempts: try again later',
  ) {
    super(429, 'too_many_requests', message);
  }
}

/**
 * A dependency (the database…) cannot be reached for now: the client may try again after `retryAfterSeconds`.
 * 503 unless a protocol retries only another status (tus: 423 Locked).
 */
export class ServiceUnavailableError extends HttpError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
    status = 503,
    code = 'service_unavailable',
  ) {
    super(status, code, message);
  }
}

/** A configuration file is missing, unreadable or invalid: the process must not start. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly key: string | undefined,
    problem: string,
  ) {
    super(key ? `${file}: ${key}: ${problem}` : `${file}: ${problem}`);
    this.name = 'ConfigError';
  }
}

/** A failure the operator must act on (database unreachable, plugin broken…): printed without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** An OAuth2 protocol error: always answered with the RFC 6749/6750 body `{error, error_description}`. */
export class OAuthError extends HttpError {
  constructor(status: number, error: string, description: string) {
    super(status, error, description);
  }

  toBody(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
