import type { ServerResponse } from 'node:http';

/**
 * For anything that is not the dashboard page (JSON, metrics, event streams, scripts): nothing
 * may be loaded, framed or sniffed from it.
 */
export const LOCKED_DOWN_CSP =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The dashboard page: its own script, styles and event stream only. Styles set from the script
 * (element.style) are CSSOM and need no 'unsafe-inline'.
 */
export const DASHBOARD_PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Sets the headers every response of our HTTP servers carries: no MIME sniffing, no framing
 * (clickjacking), no referrer leaking the URL (it may hold a `?token=`), and a CSP. Live data is
 * never cached: Cache-Control is the caller's (no-store for live data, no-cache for assets).
 */
export function setSecurityHeaders(response: ServerResponse, csp: string = LOCKED_DOWN_CSP): void {
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('content-security-policy', csp);
  response.setHeader('cross-origin-resource-policy', 'same-origin');
}
