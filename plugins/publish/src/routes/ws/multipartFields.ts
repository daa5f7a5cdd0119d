import type { Context, Next } from 'koa';
import busboy from 'busboy';
import { BadRequestError, PayloadTooLargeError } from '@mediahost/core';

const LIMITS = { fields: 20, fieldSize: 4096, parts: 20, files: 0 };

/**
 * Reads a multipart/form-data body of plain fields into ctx.request.body, as the core's parser does JSON and urlencoded
 * forms: VideoCMS's own front end sends its logins, folders and tags as FormData. File parts are refused (400).
 */
export async function multipartFields(ctx: Context, next: Next): Promise<void> {
  if (ctx.is('multipart/form-data')) ctx.request.body = await readFields(ctx);
  await next();
}

function readFields(ctx: Context): Promise<Record<string, string>> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers, limits: LIMITS });
  } catch {
    return Promise.reject(new BadRequestError('Malformed multipart/form-data request'));
  }
  const fields: Record<string, string> = {};
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      ctx.req.unpipe(parser);
      ctx.req.resume();
      reject(error);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) fail(new PayloadTooLargeError(`Field ${name} is longer than ${LIMITS.fieldSize} bytes`));
      else fields[name] = value;
    });
    parser.on('filesLimit', () => fail(new BadRequestError('This route takes fields only, no file')));
    parser.on('fieldsLimit', () => fail(new BadRequestError(`At most ${LIMITS.fields} fields`)));
    parser.on('partsLimit', () => fail(new BadRequestError(`At most ${LIMITS.parts} parts`)));
    parser.on('error', (error: Error) => fail(new BadRequestError(`Malformed multipart/form-data request: ${error.message}`)));
    parser.on('close', () => resolve(fields));
    ctx.req.on('aborted', () => fail(new BadRequestError('The request was interrupted')));
    ctx.req.pipe(parser);
  });
}
