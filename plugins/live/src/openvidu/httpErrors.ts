import { HttpError } from '@mediahost/core';

/** The statuses OpenVidu's API uses beyond the core's typed errors. */
export class MethodNotAllowedError extends HttpError {
  constructor(message: string) {
    super(405, 'method_not_allowed', message);
  }
}

export class NotAcceptableError extends HttpError {
  constructor(message: string) {
    super(406, 'not_acceptable', message);
  }
}

export class UnprocessableError extends HttpError {
  constructor(message: string) {
    super(422, 'unprocessable_entity', message);
  }
}

export class NotImplementedError extends HttpError {
  constructor(message: string) {
    super(501, 'not_implemented', message);
  }
}

export class InternalError extends HttpError {
  constructor(message: string, options?: { cause?: unknown }) {
    // Not 'internal_error': this message is meant for the client, as OpenVidu answers it.
    super(500, 'openvidu_failure', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
