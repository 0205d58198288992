import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import IORedis from 'ioredis';
import pino from 'pino';
import { createCodec } from '../../../src/codec';
import { EmotionStreamError, RegistryUnavailableError } from '../../../src/core';
import { startWorker } from '../../../src/apps/worker';
import { readTopicToEnd } from '../../../src/kafka/read-topic-to-end';
import { redisUrl, schemaRegistryUrl, uniqueName } from '../../support/services';
import { OutputReader, sampleTweets, seedInput, testWorkerConfig } from '../worker/worker-harness';

// A registry that requires basic auth: a small local HTTP server in front of the real (Apicurio)
// registry, forwarding only requests with the right credentials, answering 401 to the rest as
// Confluent's registry does. Then every place a secret could leak is searched for it: errors, logs,
// dead-letter entries in Redis and the DLQ mirror topic.
const USER = 'registry-user';
const SECRET = 'Sup3r-s3cret-registry-pw';
const SECRET_B64 = Buffer.from(`${USER}:${SECRET}`).toString('base64');

jest.setTimeout(180_000);

let proxy: Server;
let proxyBase: string;
let unauthorized = 0;

beforeAll(async () => {
  const upstream = new URL(schemaRegistryUrl());
  proxy = createServer((incoming, outgoing) => {
    if (incoming.headers.authorization !== `Basic ${SECRET_B64}`) {
      unauthorized += 1;
      outgoing.writeHead(401, {
        'content-type': 'application/vnd.schemaregistry.v1+json',
        'www-authenticate': 'Basic',
      });
      outgoing.end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
      return;
    }
    const headers = { ...incoming.headers, host: upstream.host };
    delete headers.authorization;
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  // The same path as the real registry's Confluent-compatible API.
  proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}${upstream.pathname}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
});

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const withCredentials = (user: string, password: string) =>
  proxyBase.replace('http://', `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);

async function registering(auth?: { username: string; password: string }): Promise<unknown> {
  return createCodec({
    schemaRegistryUrl: proxyBase,
    schemaRegistryAuth: auth,
    inputTopic: uniqueName('auth-in'),
    outputTopic: uniqueName('auth-out'),
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('schema registry basic auth', () => {
  it('without credentials: a clear error naming the setting; with wrong ones: the same, the password nowhere', async () => {
    const before = unauthorized;
    for (const auth of [undefined, { username: USER, password: 'wrong-password-123' }]) {
      const error = await registering(auth);
      expect(error).toBeInstanceOf(RegistryUnavailableError);
      const message = (error as Error).message;
      expect(message).toMatch(/rejected the credentials \(401\).*SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO/);
      expect(message).not.toMatch(/wrong-password-123|Sup3r/);
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('wrong-password-123');
    }
    expect(unauthorized).toBeGreaterThan(before);
  });

  it('works with the right credentials, given as user info or in the URL (taken out of it)', async () => {
    const { loadWorkerConfig } = await import('../../../src/config/worker-config');
    const fromUserInfo = loadWorkerConfig({
      SCHEMA_REGISTRY_URL: proxyBase,
      SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: `${USER}:${SECRET}`,
    });
    const fromUrl = loadWorkerConfig({ SCHEMA_REGISTRY_URL: withCredentials(USER, SECRET) });
    for (const config of [fromUserInfo, fromUrl]) {
      expect(config.schemaRegistryUrl).toBe(proxyBase);
      expect(config.schemaRegistryAuth).toEqual({ username: USER, password: SECRET });
      const codec = await createCodec({
        schemaRegistryUrl: config.schemaRegistryUrl,
        schemaRegistryAuth: config.schemaRegistryAuth,
        inputTopic: uniqueName('auth-in'),
        outputTopic: uniqueName('auth-out'),
      });
      const [tweet] = sampleTweets(1, 'auth');
      const bytes = await codec.tweetEncoder.encode(tweet);
      expect(bytes[0]).toBe(0);
      expect(await codec.decoder.decode({ value: bytes } as never)).toMatchObject({
        id: tweet.id,
        text: tweet.text,
      });
    }
  });

  it('a worker start with wrong credentials fails with a line that holds neither password', async () => {
    const { loadWorkerConfig } = await import('../../../src/config/worker-config');
    const config = loadWorkerConfig({
      SCHEMA_REGISTRY_URL: withCredentials(USER, 'wr0ng-in-url'),
      HTTP_PORT: '0',
      REDIS_URL: redisUrl(),
    });
    const error = await startWorker(config, { logger: pino({ level: 'silent' }), env: {} }).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(EmotionStreamError);
    expect((error as Error).message).toMatch(/rejected the credentials \(401\)/);
    expect((error as Error).message).not.toMatch(/wr0ng-in-url|Sup3r/);
  });
});

test('the secret is in no log line, dead letter or mirror message of a worker that dead-letters through the registry', async () => {
  const { kafka, topics, codec, tweets } = await seedInput('registry-auth', {
    partitions: 1,
    events: 20,
    schemaRegistryUrl: schemaRegistryUrl(),
  });
  // A Confluent-framed record whose schema id the registry does not know: UNKNOWN_SCHEMA_ID poison.
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: topics.input,
    messages: [{ key: 'poison', value: Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2, 0x61]) }],
  });
  await producer.disconnect();
  const mirrorTopic = uniqueName('registry-auth-mirror');
  const logLines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) });
  const { worker } = await startWorker(
    testWorkerConfig(topics, { SCHEMA_REGISTRY_URL: withCredentials(USER, SECRET), DLQ_TOPIC: mirrorTopic }),
    { logger, env: {} },
  );
  const reader = new OutputReader(kafka, topics.output, codec);
  const redis = new IORedis(redisUrl());
  try {
    await reader.start();
    await reader.waitForCount(tweets.length);
    const mirrored = await eventually(async () => {
      const found = await readTopicToEnd(
        kafka,
        mirrorTopic,
        (value) => value.toString('utf8'),
        uniqueName('mirror-read'),
      );
      return found.length > 0 ? found : undefined;
    }, 'the dead letter on the mirror topic');
    expect(mirrored.join('\n')).toMatch(/UNKNOWN_SCHEMA_ID/);
    // Everything BullMQ keeps for the dead-letter queue, whatever its key layout.
    const stored: string[] = [];
    for (const key of await redis.keys(`bull:${topics.dlq}*`)) {
      const type = await redis.type(key);
      if (type === 'hash') stored.push(JSON.stringify(await redis.hgetall(key)));
      else if (type === 'string') stored.push((await redis.get(key)) ?? '');
      else if (type === 'list') stored.push(...(await redis.lrange(key, 0, -1)));
      else if (type === 'zset') stored.push(...(await redis.zrange(key, 0, -1)));
      else if (type === 'stream') stored.push(JSON.stringify(await redis.xrange(key, '-', '+')));
    }
    expect(stored.join('\n')).toMatch(/UNKNOWN_SCHEMA_ID/);
    const everything = [...logLines, ...mirrored, ...stored].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(encodeURIComponent(SECRET));
    expect(everything).not.toContain(SECRET_B64);
  } finally {
    await worker.stop();
    await reader.stop();
    redis.disconnect();
  }
});
