/** A JSON-RPC error with OpenVidu's codes. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

export const RPC = {
  unauthorized: 401,
  sessionNotFound: 202,
  sessionClosed: 203,
  userNotFound: 102,
  notStreaming: 105,
  alreadyPublishing: 106,
  badSignalTo: 601,
  notJoined: 803,
  transportError: 801,
  sttDisabled: 997,
  reconnectionError: 40007,
} as const;
