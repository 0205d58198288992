import {
  redisReadinessCheck,
  startOpsServer,
  type OpsServer,
  type RedisReadinessCheck,
} from '../../../src/ops';
import { Metrics } from '../../../src/telemetry';
import { freePort, PrivateRedis } from '../../support/private-redis';

// Polls until /readyz answers `status` (no timing threshold: the deadline is only a safety net).
async function waitForStatus(url: string, status: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/readyz`);
    const body = (await response.json()) as Record<string, unknown>;
    if (response.status === status) return body;
    last = `${response.status} ${JSON.stringify(body)}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`/readyz never answered ${status}; last: ${last}`);
}

describe('/readyz follows Redis', () => {
  let ownRedis: PrivateRedis;
  let check: RedisReadinessCheck;
  let server: OpsServer;

  beforeAll(async () => {
    ownRedis = new PrivateRedis(await freePort());
    await ownRedis.start();
    check = redisReadinessCheck(ownRedis.url);
    server = await startOpsServer({
      port: 0,
      host: '127.0.0.1',
      metrics: new Metrics({ defaultMetrics: false }),
      readinessChecks: { consumer: () => true, model: () => true, redis: check.check },
    });
  });

  afterAll(async () => {
    await server?.close();
    await check?.close();
    await ownRedis?.dispose();
  });

  it('turns unready when Redis stops and ready again when it returns', async () => {
    await waitForStatus(server.url, 200);

    await ownRedis.stop();
    const down = await waitForStatus(server.url, 503);
    expect(down).toMatchObject({
      status: 'not ready',
      checks: { consumer: { ok: true }, model: { ok: true }, redis: { ok: false } },
    });
    const scrape = await (await fetch(`${server.url}/metrics`)).text();
    expect(scrape).toContain('emotion_stream_readiness_check{check="redis"} 0');

    await ownRedis.start();
    const up = await waitForStatus(server.url, 200);
    expect(up).toEqual({
      status: 'ready',
      checks: { consumer: { ok: true }, model: { ok: true }, redis: { ok: true } },
    });
  });
});
