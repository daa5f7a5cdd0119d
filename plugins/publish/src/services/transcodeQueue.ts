/**
 * The queue name of a file's transcoding: services enqueue it, jobs/transcode.ts runs it. It lives here, below both,
 * so that services need not import the job (which imports services).
 */
export const TRANSCODE_JOB = 'transcode';
