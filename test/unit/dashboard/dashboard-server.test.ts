import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createDashboardServer, type DashboardServer } from '../../../src/dashboard/dashboard-server';
import { enrichedEvent } from '../../support/emotion-events';

const info = { outputTopic: 'out', alertTopic: 'alerts', watchedLabels: ['anger', 'fear'] };
const logger = pino({ level: 'silent' });

describe('dashboard server', () => {
  let publicDir: string;
  let server: DashboardServer;
  let base: string;

  beforeEach(async () => {
    publicDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-public-'));
    writeFileSync(path.join(publicDir, 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(path.join(publicDir, 'app.js'), 'console.log(1)');
    server = createDashboardServer({ port: 0, host: '127.0.0.1', publicDir, tickMs: 50, info }, logger);
    base = `http://127.0.0.1:${(await server.start()).port}`;
  });

  afterEach(async () => {
    await server.stop();
    rmSync(publicDir, { recursive: true, force: true });
  });

  it('serves the page and its script with their content types, 404 for anything else', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>t</title>');
    expect((await fetch(`${base}/app.js`)).headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(`${base}/../package.json`)).status).toBe(404);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it('says how to build a missing asset instead of failing silently', async () => {
    const response = await fetch(`${base}/app.css`);
    expect(response.status).toBe(503);
    expect(await response.text()).toMatch(/npm run build/);
  });

  it('answers the snapshot as JSON, with recorded events and deduplicated alerts', async () => {
    server.recordEvent(enrichedEvent('1', Date.now(), 'fear'));
    const state = (await (await fetch(`${base}/api/state`)).json()) as {
      info: unknown;
      stats: { totalEvents: number };
    };
    expect(state.info).toEqual(info);
    expect(state.stats.totalEvents).toBe(1);
  });

  it('streams a snapshot, then ticks, as server-sent events', async () => {
    const controller = new AbortController();
    const response = await fetch(`${base}/events`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('event: tick')) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(text.indexOf('event: snapshot')).toBeLessThan(text.indexOf('event: tick'));
    const snapshot = JSON.parse(/event: snapshot\ndata: (.*)\n/.exec(text)![1]) as { labels: string[] };
    expect(snapshot.labels).toEqual(['sadness', 'joy', 'love', 'anger', 'fear', 'surprise']);
  });

  it('sends security headers on every answer: a strict CSP for the page, a locked-down one elsewhere', async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    for (const endpoint of ['/', '/app.js', '/api/state', '/healthz', '/nope']) {
      const response = await fetch(`${base}${endpoint}`);
      expect({
        endpoint,
        nosniff: response.headers.get('x-content-type-options'),
        frame: response.headers.get('x-frame-options'),
        referrer: response.headers.get('referrer-policy'),
        framing: response.headers.get('content-security-policy')?.includes("frame-ancestors 'none'"),
      }).toEqual({ endpoint, nosniff: 'nosniff', frame: 'DENY', referrer: 'no-referrer', framing: true });
    }
    expect((await fetch(`${base}/api/state`)).headers.get('cache-control')).toBe('no-store');
  });
});

describe('dashboard server exposure', () => {
  let publicDir: string;
  let server: DashboardServer | undefined;

  beforeEach(() => {
    publicDir = mkdtempSync(path.join(os.tmpdir(), 'dashboard-public-'));
    writeFileSync(path.join(publicDir, 'index.html'), '<!doctype html><title>t</title>');
  });

  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(publicDir, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 unless a host is given', async () => {
    server = createDashboardServer({ port: 0, publicDir, info }, logger);
    const { port } = await server.start();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    const otherAddress = Object.values(os.networkInterfaces())
      .flat()
      .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
    if (otherAddress === undefined) throw new Error('this test needs a non-loopback IPv4 interface');
    await expect(fetch(`http://${otherAddress}:${port}/healthz`)).rejects.toThrow();
  });

  it('with DASHBOARD_TOKEN: 401 without it, Bearer works, ?token= sets an HttpOnly SameSite=Strict cookie for the event stream', async () => {
    const token = 's3cr3t-dashboard-token';
    server = createDashboardServer({ port: 0, publicDir, info, token }, logger);
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    for (const endpoint of ['/', '/api/state', '/events', '/?token=wrong', '/events?token=s3cr3t']) {
      const response = await fetch(`${base}${endpoint}`);
      expect({ endpoint, status: response.status }).toEqual({ endpoint, status: 401 });
      expect(await response.text()).not.toContain(token);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const bearer = await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(200);

    const first = await fetch(`${base}/?token=${token}`, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/');
    const cookie = first.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(token);
    const session = cookie.split(';')[0];
    expect((await fetch(`${base}/`, { headers: { cookie: session } })).status).toBe(200);
    const controller = new AbortController();
    const events = await fetch(`${base}/events`, { headers: { cookie: session }, signal: controller.signal });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    controller.abort();
    expect((await fetch(`${base}/`, { headers: { cookie: `${session}x` } })).status).toBe(401);
  });

  it('answers 503 to viewers over DASHBOARD_MAX_CLIENTS', async () => {
    server = createDashboardServer({ port: 0, publicDir, info, viewers: { maxClients: 1 } }, logger);
    const base = `http://127.0.0.1:${(await server.start()).port}`;
    const controller = new AbortController();
    expect((await fetch(`${base}/events`, { signal: controller.signal })).status).toBe(200);
    expect((await fetch(`${base}/events`)).status).toBe(503);
    controller.abort();
  });

  it('names the settings when its port is taken', async () => {
    server = createDashboardServer({ port: 0, publicDir, info }, logger);
    const { port } = await server.start();
    const second = createDashboardServer({ port, publicDir, info }, logger);
    await expect(second.start()).rejects.toThrow(
      /DASHBOARD_PORT\/DASHBOARD_HOST: cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/,
    );
    await second.stop();
  });
});
