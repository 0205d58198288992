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
});
