import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import type { JobHandle, Model, PluginUrls, Storage } from '@mediahost/core';
import type { Claims } from '../models/claims.js';
import type { TicketDoc } from '../models/ticket.js';
import type { Folders } from './folders.js';
import { Intake } from './intake.js';

const KEY = 'upload url key';
const sign = (id: string, expires: number) => createHmac('sha256', KEY).update(`${id}\n${expires}`).digest('base64url');
const unused = {} as never;

describe('editor: upload URLs', () => {
  // The URL checks come before anything is looked up or stored: no database is needed to see them refuse.
  const intake = new Intake(unused as Model<TicketDoc>, unused as Claims, unused as Folders, unused as JobHandle<{ ticketId: string }>, unused as Storage, KEY, unused as PluginUrls, { maxFileBytes: 10, uploadTicketMs: 60_000 });
  const refusal = (id: string, expires: string | undefined, signature: string | undefined) =>
    intake.receiveUpload(id, expires, signature, Readable.from([Buffer.from('x')])).then(
      () => undefined,
      (error: Error & { status?: number }) => error,
    );

  it('refuses a correctly signed URL once it has expired', async () => {
    const expires = Date.now() - 1;
    const error = await refusal('2026_01_01_x', String(expires), sign('2026_01_01_x', expires));
    expect(error?.status).to.equal(403);
    expect(error?.message).to.match(/expired/);
  });

  it('refuses a signature of another ticket or another expiry, and a missing one', async () => {
    const expires = Date.now() + 60_000;
    expect((await refusal('2026_01_01_x', String(expires), sign('2026_01_01_y', expires)))?.message).to.match(/signature/);
    expect((await refusal('2026_01_01_x', String(expires + 1), sign('2026_01_01_x', expires)))?.message).to.match(/signature/);
    expect((await refusal('2026_01_01_x', String(expires), undefined))?.status).to.equal(403);
    expect((await refusal('2026_01_01_x', 'soon', sign('2026_01_01_x', expires)))?.status).to.equal(403);
  });
});
