/**
 * A return path the login page may send the browser to: a path on this host only. `//host`, `/\host` and anything
 * with a scheme or control characters would leave it (an open redirect), so they fall back to the home page.
 */
export function localReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/be';
  return /^\/(?![/\\])[^\s\\]*$/.test(value) && !/[\x00-\x1f]/.test(value) ? value : '/be';
}
