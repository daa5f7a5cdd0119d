import { Schema, type Connection, type Model } from '@mediahost/core';

/** A solved captcha challenge, by its signature: inserted once, so a solution cannot be used twice. */
export interface CaptchaClaimDoc {
  _id: string;
  at: Date;
}

const captchaClaimSchema = new Schema<CaptchaClaimDoc>({ _id: { type: String, required: true }, at: { type: Date, required: true } });

export function captchaClaimModel(db: Connection): Model<CaptchaClaimDoc> {
  return db.model<CaptchaClaimDoc>('PublishCaptchaClaim', captchaClaimSchema, 'publish_captcha_claims');
}
