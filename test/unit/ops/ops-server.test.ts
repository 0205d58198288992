import { startOpsServer, type OpsServer } from '../../../src/ops';
import { Metrics } from '../../../src/telemetry';

describe('ops server', () => {
  let server: OpsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers /healthz whatever the readiness checks say', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics({ defaultMetrics: false }),
      readinessChecks: { redis: () => false },
    });
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready only when every check passes and names the failing ones', async () => {
    let modelLoaded = false;
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics({ defaultMetrics: false }),
      readinessChecks: {
        consumer: () => true,
        model: () => modelLoaded,
        redis: async () => Promise.reject(new Error('ECONNREFUSED')),
      },
    });
    let response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not ready',
      checks: {
        consumer: { ok: true },
        model: { ok: false, error: 'not ready' },
        redis: { ok: false, error: 'ECONNREFUSED' },
      },
    });
    modelLoaded = true;
    response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { checks: Record<string, { ok: boolean }> }).checks.model.ok).toBe(
      true,
    );
  });

  it('fails a check that does not answer in time', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      checkTimeoutMs: 50,
      metrics: new Metrics({ defaultMetrics: false }),
      readinessChecks: { hung: () => new Promise<void>(() => undefined) },
    });
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      checks: { hung: { ok: false, error: 'no answer within 50 ms' } },
    });
  });

  it('serves Prometheus text with the readiness gauges refreshed', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.messagesConsumed.inc({ topic: 't', partition: '0' }, 3);
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics,
      readinessChecks: { consumer: () => true, redis: () => false },
    });
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('emotion_stream_messages_consumed_total{topic="t",partition="0"} 3');
    expect(text).toContain('emotion_stream_ready 0');
    expect(text).toContain('emotion_stream_readiness_check{check="consumer"} 1');
    expect(text).toContain('emotion_stream_readiness_check{check="redis"} 0');
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics({ defaultMetrics: false }),
    });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('refuses a port that is taken', async () => {
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics({ defaultMetrics: false }),
    });
    await expect(
      startOpsServer({
        port: server.port,
        host: '127.0.0.1',
        metrics: new Metrics({ defaultMetrics: false }),
      }),
    ).rejects.toThrow(/HTTP_PORT\/HTTP_HOST: cannot listen on .*already in use.*\(EADDRINUSE\)/);
  });

  it('binds the loopback interface unless told otherwise, and sends security headers on every answer', async () => {
    server = await startOpsServer({ port: 0, metrics: new Metrics({ defaultMetrics: false }) });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    for (const endpoint of ['/healthz', '/readyz', '/metrics', '/nope']) {
      const response = await fetch(`${server.url}${endpoint}`);
      expect({
        endpoint,
        nosniff: response.headers.get('x-content-type-options'),
        frame: response.headers.get('x-frame-options'),
        referrer: response.headers.get('referrer-policy'),
        csp: response.headers.get('content-security-policy'),
        cache: response.headers.get('cache-control'),
      }).toEqual({
        endpoint,
        nosniff: 'nosniff',
        frame: 'DENY',
        referrer: 'no-referrer',
        csp: expect.stringContaining("frame-ancestors 'none'") as unknown as string,
        cache: 'no-store',
      });
    }
  });
});
