import type { LiveSettings } from '../settings/liveSettings.js';
import { activeConnections } from './model.js';
import type { SessionRegistry } from './sessionRegistry.js';

/**
 * Closes sessions nobody has been in for OPENVIDU_SESSIONS_GARBAGE_THRESHOLD seconds, checked every
 * OPENVIDU_SESSIONS_GARBAGE_INTERVAL seconds (0 turns it off), as OpenVidu does for sessions created and never joined.
 */
export class GarbageCollector {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: SessionRegistry,
    private readonly settings: LiveSettings,
  ) {}

  start(): void {
    const interval = this.settings.current.sessionsGarbageInterval;
    if (interval <= 0) return;
    this.timer = setInterval(() => this.collect(), interval * 1000);
    this.timer.unref();
  }

  collect(now = Date.now()): string[] {
    const threshold = this.settings.current.sessionsGarbageThreshold * 1000;
    const collected: string[] = [];
    for (const session of this.registry.list()) {
      if (activeConnections(session).length > 0 || session.recordingId !== undefined) continue;
      if (now - session.lastActiveAt < threshold) continue;
      this.registry.close(session, 'sessionClosedByServer');
      collected.push(session.id);
    }
    return collected;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
