import { STATUS_CODES } from 'node:http';
import type { ErrorFormat } from '@mediahost/core';

/** The Spring Boot error body OpenVidu answers with; its clients only read the status. */
export const openviduErrorFormat: ErrorFormat = (error, ctx) => ({
  timestamp: Date.now(),
  status: error.status,
  error: STATUS_CODES[error.status] ?? 'Error',
  message: error.message,
  path: ctx.path,
});
