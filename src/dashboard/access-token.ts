import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The cookie that carries a viewer's access after the first load (EventSource cannot send headers). */
export const ACCESS_COOKIE = 'emotion_stream_dashboard';

export type AccessOutcome =
  /** No token configured, or the request proved it (header or cookie). */
  | { allowed: true }
  /** `?token=` was right: set the cookie and send the browser to the same URL without the token. */
  | { allowed: true; setCookie: string; redirectTo: string }
  | { allowed: false };

// Digests of equal length, so the comparison takes the same time whatever the guess.
const digest = (value: string) => createHash('sha256').update(value).digest();
const sameSecret = (given: string, expected: Buffer) => timingSafeEqual(digest(given), expected);

function cookieValue(request: IncomingMessage): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === ACCESS_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * DASHBOARD_TOKEN: when set, every request but /healthz shows the token as `Authorization: Bearer`,
 * as `?token=` (first load of the page, then a cookie holds it) or through that cookie. The cookie
 * holds a digest of the token, not the token; HttpOnly and SameSite=Strict keep it from scripts
 * and from other sites' requests.
 */
export function createAccessCheck(
  token: string | undefined,
): (request: IncomingMessage, url: URL) => AccessOutcome {
  if (token === undefined || token === '') return () => ({ allowed: true });
  const expected = digest(token);
  const session = createHash('sha256').update(`emotion-stream-dashboard\u0000${token}`).digest('hex');
  const expectedSession = digest(session);
  return (request, url) => {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && sameSecret(header.slice('Bearer '.length).trim(), expected))
      return { allowed: true };
    const cookie = cookieValue(request);
    if (cookie !== undefined && sameSecret(cookie, expectedSession)) return { allowed: true };
    const query = url.searchParams.get('token');
    if (query !== null && sameSecret(query, expected)) {
      url.searchParams.delete('token');
      return {
        allowed: true,
        setCookie: `${ACCESS_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        redirectTo: `${url.pathname}${url.search}`,
      };
    }
    return { allowed: false };
  };
}
