import type { ErrorFormat } from '@mediahost/core';

/** WeVideo's error body: {"success": false, "message": "...", "error_code": "bad_request"}. */
export const wevErrorFormat: ErrorFormat = (error) => ({ success: false, message: error.message, error_code: error.code });
