import { ApiDescription } from '@mediahost/core';
import { openviduErrorSchema } from './responses.js';

export const OPENVIDU_API_ROOT = '/openvidu/api';

/** OpenVidu's REST API on the live port, served at /openvidu/api/openapi.json. */
export function openviduApiDescription(): ApiDescription {
  return new ApiDescription({
    title: 'mediahost live: OpenVidu REST API',
    version: '2.32.1',
    description: "OpenVidu 2.x's REST API (CE and Pro's media nodes). Each application reaches only its own sessions and recordings; OPENVIDUAPP with the OpenVidu secret is the operator.",
    root: OPENVIDU_API_ROOT,
    securitySchemes: {
      openviduBasic: { type: 'http', scheme: 'basic', description: 'OPENVIDUAPP:<OpenVidu secret> (the operator)' },
      bearer: { type: 'http', scheme: 'bearer', description: 'A token from the web service\'s POST /token with the live scope' },
    },
    security: [['openviduBasic'], ['bearer']],
    errorSchema: openviduErrorSchema,
    commonErrors: [400, 401, 405, 413, 415],
  });
}
