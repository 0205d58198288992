import type { IHeaders, Message } from 'kafkajs';
import { BullmqDeadLetterStore, createFailFastRedis, type DeadLetterEntry } from '../../../src/dlq';
import { toEnvelope } from '../../../src/ingest/to-envelope';
import { createHostileTopic, hostileCases, prototypeHeaders, type HostileCase } from './hostile-cases';
import { freePort } from '../../support/private-redis';
import { readTopic } from '../../support/read-topic';
import { redisUrl } from '../../support/services';
import {
  OutputReader,
  rawCodec,
  spawnWorkerProcess,
  testKafka,
  uniqueTopics,
  waitFor,
} from './worker-harness';

// The hostile-input suite on the real broker: one partition where every hostile kind of record sits
// between valid ones, consumed by the real `emotion-stream worker` process (tiny model). Every valid
// record comes out (with its headers, however they are named), every hostile one is in the DLQ with its
// code and original bytes, the process stays up, /healthz answers throughout and the event loop never
// stalls more than 200 ms (the worker's own nodejs_eventloop_lag_max_seconds, scraped all along: each
// scrape reports the largest delay since the previous one).

jest.setTimeout(240_000);

const STALL_LIMIT_SECONDS = 0.2;

/** Polls an async condition every 200 ms until it holds. */
async function until(
  condition: () => Promise<boolean>,
  what: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const bytesOf = (value: Message['key'] | Message['value']): Buffer | null =>
  value === null || value === undefined ? null : Buffer.isBuffer(value) ? value : Buffer.from(value);

/** The headers as the DLQ stores them: base64, every value of a repeated name. */
function storedHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? value.map((item) => Buffer.from(item).toString('base64'))
        : Buffer.from(value as Buffer | string).toString('base64'),
    ]),
  );
}

test('hostile records between valid ones: valid ones out, hostile ones in the DLQ, the worker unharmed', async () => {
  const kafka = testKafka();
  const topics = uniqueTopics('hostile');
  await createHostileTopic(kafka, topics.input);
  const codec = await rawCodec(topics);
  const { warmUp, cases: hostileAndValid } = await hostileCases(topics.input);
  // Offsets follow this order: the warm-up records first.
  const cases = [...warmUp, ...hostileAndValid];
  const port = await freePort();
  const worker = spawnWorkerProcess(
    topics,
    { HTTP_PORT: String(port), PIPELINE_CHUNK_SIZE: '16' },
    {
      keepOutputChars: 20_000,
    },
  );
  const reader = new OutputReader(kafka, topics.output, codec);
  const connection = createFailFastRedis(redisUrl(), { timeoutMs: 10_000 });
  const store = new BullmqDeadLetterStore({ connection, queueName: topics.dlq, timeoutMs: 10_000 });
  const probe = {
    healthChecks: 0,
    healthFailures: [] as string[],
    scrapes: 0,
    maxLagSeconds: 0,
    lags: [] as number[],
  };
  let probing = true;
  const base = `http://127.0.0.1:${port}`;

  async function scrapeLag(): Promise<void> {
    const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const lag = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics);
    if (!lag) throw new Error('nodejs_eventloop_lag_max_seconds is missing from /metrics');
    probe.scrapes += 1;
    probe.maxLagSeconds = Math.max(probe.maxLagSeconds, Number(lag[1]));
    probe.lags.push(Math.round(Number(lag[1]) * 1000));
  }

  async function probeLoop(): Promise<void> {
    while (probing) {
      try {
        const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2_000) });
        probe.healthChecks += 1;
        if (health.status !== 200) probe.healthFailures.push(`status ${health.status}`);
      } catch (error) {
        probe.healthFailures.push(String(error));
      }
      await scrapeLag();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The last scrape covers the time since the previous one, up to the end.
    await scrapeLag();
  }

  let probing$: Promise<void> | undefined;
  try {
    await waitFor(
      () => /worker started/.test(worker.output()),
      () => `the worker to start:\n${worker.output()}`,
      120_000,
    );
    await until(
      async () => (await fetch(`${base}/healthz`)).ok,
      () => `/healthz to answer:\n${worker.output()}`,
      30_000,
    );
    await reader.start();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (items: HostileCase[]) =>
      producer.send({ topic: topics.input, acks: -1, messages: items.map((item) => item.message) });
    await send(warmUp);
    await reader.waitForCount(1, 120_000);
    await until(
      async () => (await store.list()).length >= 1,
      () => `the warm-up dead letter`,
      120_000,
    );
    // This scrape resets the delay histogram: start-up and warm-up are not counted, every hostile record is.
    const warmUpLag = Number(
      /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(await (await fetch(`${base}/metrics`)).text())?.[1],
    );
    probing$ = probeLoop();
    await send(hostileAndValid);
    await producer.disconnect();

    const outputs = cases.flatMap((item) => ('output' in item.expect ? [item] : []));
    const poisons = cases.flatMap((item) => ('dlq' in item.expect ? [item] : []));
    await reader.waitForCount(outputs.length, 120_000);
    let entries: DeadLetterEntry[] = [];
    await until(
      async () => (entries = await store.list()).length >= poisons.length,
      () => `${poisons.length} dead letters (have ${entries.length}):\n${worker.output()}`,
      120_000,
    );
    probing = false;
    await probing$;

    expect(worker.child.exitCode).toBeNull();
    expect(reader.events.map((item) => item.key).sort()).toEqual(
      outputs.map((item) => (item.expect as { output: string }).output).sort(),
    );
    // Valid records keep their headers, Object.prototype names and repeated values included.
    const protoId = (outputs[2].expect as { output: string }).output;
    const written = (await readTopic(topics.output, outputs.length)).find(
      (record) => record.key?.toString() === protoId,
    );
    expect(written).toBeDefined();
    const outputHeaders = toEnvelope(topics.output, 0, {
      key: null,
      value: null,
      offset: '0',
      timestamp: '0',
      attributes: 0,
      headers: written?.headers ?? {},
    }).headers;
    for (const [name, value] of Object.entries(prototypeHeaders)) {
      const expected = Array.isArray(value)
        ? value.map((item) => Buffer.from(item))
        : Buffer.from(value as string);
      expect({ name, value: outputHeaders[name] }).toEqual({ name, value: expected });
    }

    entries = await store.list();
    const byOffset = new Map(entries.map((entry) => [Number(entry.offset), entry]));
    const seen = cases.map((item, offset) => {
      const entry = byOffset.get(offset);
      if (!('dlq' in item.expect)) return { kind: item.kind, dlq: entry?.code ?? 'none' };
      return {
        kind: item.kind,
        dlq: entry?.code ?? 'missing',
        reason: (entry?.message.length ?? 0) > 0,
        key: entry?.key === (bytesOf(item.message.key)?.toString('base64') ?? null),
        value: entry?.value === (bytesOf(item.message.value)?.toString('base64') ?? null),
        headers: JSON.stringify(entry?.headers) === JSON.stringify(storedHeaders(item.message.headers)),
      };
    });
    expect(seen).toEqual(
      cases.map((item) =>
        'dlq' in item.expect
          ? { kind: item.kind, dlq: item.expect.dlq, reason: true, key: true, value: true, headers: true }
          : { kind: item.kind, dlq: 'none' },
      ),
    );

    expect(probe.healthFailures).toEqual([]);
    expect(probe.healthChecks).toBeGreaterThan(0);
    expect(probe.scrapes).toBeGreaterThan(0);
    process.stdout.write(
      `hostile-records: ${cases.length} records, ${probe.healthChecks} /healthz answers, largest event-loop delay ${(probe.maxLagSeconds * 1000).toFixed(1)} ms over ${probe.scrapes} scrapes (each scrape's largest, ms: ${probe.lags.join(' ')}); start-up and warm-up: ${(warmUpLag * 1000).toFixed(1)} ms\n`,
    );
    expect(probe.maxLagSeconds).toBeLessThan(STALL_LIMIT_SECONDS);

    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  } finally {
    probing = false;
    await probing$?.catch(() => undefined);
    if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    await reader.stop();
    await store.purge().catch(() => undefined);
    await store.close().catch(() => undefined);
    connection.disconnect();
  }
});
