import { Router } from '@mediahost/core';
import { NotImplementedError } from '../openvidu/httpErrors.js';

/** OpenVidu's answer when no speech-to-text engine with language models (vosk) is configured: none is, here. */
export const SPEECH_TO_TEXT_DISABLED = 'Speech to Text module is disabled';

/**
 * /openvidu/api/speech-to-text/load and /unload: OpenVidu answers 501 before reading the body while its
 * speech-to-text module is disabled, which it always is here (there is no engine).
 */
export function speechToTextRoutes(): Router {
  const router = new Router();
  for (const operation of ['load', 'unload']) {
    router.post(`/speech-to-text/${operation}`, () => {
      throw new NotImplementedError(SPEECH_TO_TEXT_DISABLED);
    });
  }
  return router;
}
