import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Logger } from 'pino';
import { fromPackageRoot } from '../config/package-root';
import type { EmotionAlert, TweetEmotion, TweetUnclassified } from '../core';
import { listen } from '../http/listen';
import { DASHBOARD_PAGE_CSP, setSecurityHeaders } from '../http/security-headers';
import { createAccessCheck } from './access-token';
import { LiveState, type LiveStateOptions } from './live-state';
import { SseHub, type SseHubOptions } from './sse-hub';

/** Where `npm run build` (scripts/build-dashboard.mjs) writes the page, script and styles. */
export const DASHBOARD_PUBLIC_DIR = fromPackageRoot('dist', 'dashboard', 'public');

export interface DashboardServerOptions {
  /** 0 = any free port (tests). */
  port: number;
  /** DASHBOARD_HOST; containers set 0.0.0.0. @defaultValue 127.0.0.1 (this host only) */
  host?: string;
  /** DASHBOARD_TOKEN: required of every viewer when set (see access-token.ts). @defaultValue none: open */
  token?: string;
  /** Viewer cap (DASHBOARD_MAX_CLIENTS) and eviction of viewers that do not read. */
  viewers?: SseHubOptions;
  /** @defaultValue DASHBOARD_PUBLIC_DIR */
  publicDir?: string;
  /** How often a point is added and pushed to viewers. @defaultValue 1000 */
  tickMs?: number;
  /** Shown in the page header. */
  info: { outputTopic: string; unclassifiedTopic?: string; alertTopic: string; watchedLabels: string[] };
  state?: LiveStateOptions;
  now?: () => number;
}

export interface DashboardServer {
  start(): Promise<{ port: number }>;
  stop(): Promise<void>;
  recordEvent(event: TweetEmotion): void;
  recordUnclassified(event: TweetUnclassified): void;
  recordAlert(alert: EmotionAlert): void;
  setConsumerLag(lag: number): void;
}

const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
/** The files that make up the page get its CSP; everything else gets the locked-down one. */
const PAGE_FILES = new Set(['index.html']);
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** `emotion-stream dashboard`: the page, its assets, and /events (SSE) fed by the live state. */
export function createDashboardServer(options: DashboardServerOptions, logger: Logger): DashboardServer {
  const now = options.now ?? Date.now;
  const publicDir = options.publicDir ?? DASHBOARD_PUBLIC_DIR;
  const state = new LiveState(options.state);
  const hub = new SseHub(options.viewers);
  const access = createAccessCheck(options.token);
  let server: Server | undefined;
  let ticker: NodeJS.Timeout | undefined;
  let pinger: NodeJS.Timeout | undefined;

  async function serveStatic(file: string, response: ServerResponse): Promise<void> {
    try {
      const body = await readFile(path.join(publicDir, file));
      if (PAGE_FILES.has(file)) setSecurityHeaders(response, DASHBOARD_PAGE_CSP);
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      response.end(body);
    } catch {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(`dashboard asset ${file} is missing in ${publicDir}: run \`npm run build\` first\n`);
    }
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    setSecurityHeaders(response);
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://dashboard');
    } catch {
      response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.pathname === '/healthz') {
      response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('ok\n');
      return;
    }
    const outcome = access(request, url);
    if (!outcome.allowed) {
      response
        .writeHead(401, {
          'content-type': 'text/plain; charset=utf-8',
          'www-authenticate': 'Bearer',
          'cache-control': 'no-store',
        })
        .end('this dashboard needs its access token: open it once with ?token=<DASHBOARD_TOKEN>\n');
      return;
    }
    if ('setCookie' in outcome) {
      // The token leaves the address bar (and the history) at once; the cookie carries it from now on.
      response
        .writeHead(303, {
          'set-cookie': outcome.setCookie,
          location: outcome.redirectTo,
          'cache-control': 'no-store',
        })
        .end();
      return;
    }
    if (url.pathname === '/events') {
      hub.add(response, { event: 'snapshot', data: { ...state.snapshot(now()), info: options.info } });
      return;
    }
    if (url.pathname === '/api/state') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ ...state.snapshot(now()), info: options.info }));
      return;
    }
    const file = STATIC_FILES[url.pathname];
    if (file) {
      void serveStatic(file, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  }

  return {
    async start() {
      server = createServer(handle);
      const s = server;
      const host = options.host ?? '127.0.0.1';
      await listen(s, { port: options.port, host, settings: 'DASHBOARD_PORT/DASHBOARD_HOST' });
      ticker = setInterval(() => hub.broadcast('tick', state.tick(now())), options.tickMs ?? 1000);
      pinger = setInterval(() => hub.ping(), 15_000);
      const port = (s.address() as AddressInfo).port;
      logger.info({ host, port, tokenRequired: Boolean(options.token) }, 'dashboard: listening');
      return { port };
    },
    async stop() {
      if (ticker) clearInterval(ticker);
      if (pinger) clearInterval(pinger);
      hub.closeAll();
      const s = server;
      if (s && s.listening) {
        const closed = new Promise<void>((resolve) => s.close(() => resolve()));
        s.closeAllConnections();
        await closed;
      }
    },
    recordUnclassified(event) {
      state.recordUnclassified(event);
    },
    recordEvent(event) {
      state.record(event, now());
    },
    recordAlert(alert) {
      if (state.addAlert(alert)) hub.broadcast('alert', alert);
    },
    setConsumerLag(lag) {
      state.setConsumerLag(lag);
    },
  };
}
