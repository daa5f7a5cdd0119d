import { Router, type ApiDescription } from '@mediahost/core';
import { NotImplementedError } from '../openvidu/httpErrors.js';

/** OpenVidu's answer when no speech-to-text engine with language models (vosk) is configured: none is, here. */
export const SPEECH_TO_TEXT_DISABLED = 'Speech to Text module is disabled';

/**
 * /openvidu/api/speech-to-text/load and /unload: OpenVidu answers 501 before reading the body while its
 * speech-to-text module is disabled, which it always is here (there is no engine).
 */
export function speechToTextRoutes({ api }: { api: ApiDescription }): Router {
  const router = new Router();
  for (const operation of ['load', 'unload']) {
    api.route(router, { method: 'post', path: `/speech-to-text/${operation}`, summary: `${operation} a speech-to-text language model (the module is disabled)`, responses: {}, errors: [501] }, () => {
      throw new NotImplementedError(SPEECH_TO_TEXT_DISABLED);
    });
  }
  return router;
}
