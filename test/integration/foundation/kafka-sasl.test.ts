import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { kafkaFrom } from '../../../src/apps/stream-clients';
import { loadKafkaConnection } from '../../../src/config/worker-config';
import { PoisonMessageError } from '../../../src/core';
import { KafkaRecordPublisher, openDeadLetterStore } from '../../../src/dlq';
import { createKafkaClient } from '../../../src/kafka/kafka-client';
import { redisUrl, uniqueName } from '../../support/services';

// The local broker's second listener requires SASL/PLAIN (scripts/services; `services env` prints its address
// and test account). Every Kafka client the project makes — worker, produce, alerts, dashboard, the DLQ
// mirror and `dlq replay` — takes KAFKA_SASL_* the same way; these tests run them against that listener.
function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the SASL tests need the SASL listener of the broker scripts/services runs (an external KAFKA_BROKERS cluster has none here)`,
    );
  }
  return value;
}

const saslEnv = (password = required('KAFKA_SASL_TEST_PASSWORD')) => ({
  KAFKA_BROKERS: required('KAFKA_SASL_BROKERS'),
  KAFKA_SASL_MECHANISM: 'plain',
  KAFKA_SASL_USERNAME: required('KAFKA_SASL_TEST_USERNAME'),
  KAFKA_SASL_PASSWORD: password,
});

/** Reads `count` records of `topic` from the beginning through `kafka`. */
async function readThrough(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('sasl-reader'), sessionTimeout: 10_000 });
  const values: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${values.length} of ${count} records`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return values;
}

describe('Kafka clients over SASL/PLAIN (real broker)', () => {
  const logger = pino({ level: 'silent' });

  it('the worker settings reach the SASL listener: a topic is created, written and read back', async () => {
    const kafka = createKafkaClient(loadKafkaConnection(saslEnv()), logger);
    const topic = uniqueName('sasl-roundtrip');
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'over sasl' }] });
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
    await expect(readThrough(kafka, topic, 1)).resolves.toEqual(['over sasl']);
  }, 60_000);

  it('a wrong password is refused with an authentication error', async () => {
    const admin = createKafkaClient(loadKafkaConnection(saslEnv('not-the-password')), logger).admin();
    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  }, 60_000);

  it('alerts/dashboard (kafkaFrom), the DLQ mirror and dlq replay all take KAFKA_SASL_* from the environment', async () => {
    const env = saslEnv();
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    Object.assign(process.env, env, { KAFKA_BROKERS: 'unused:1' });
    let kafka: Kafka;
    try {
      // --brokers points at the SASL listener; the account comes from the environment, as in production.
      kafka = kafkaFrom({ brokers: env.KAFKA_BROKERS, clientId: 'sasl-test' }, logger);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    const replayTopic = uniqueName('sasl-replay');
    const mirrorTopic = uniqueName('sasl-dlq-mirror');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({
        topics: [{ topic: replayTopic }, { topic: mirrorTopic }],
        waitForLeaders: true,
      });
    } finally {
      await admin.disconnect();
    }

    const publisher = await KafkaRecordPublisher.connect(kafka);
    try {
      await publisher.publish([
        { topic: replayTopic, key: null, value: Buffer.from('replayed'), headers: {} },
      ]);
    } finally {
      await publisher.close();
    }
    await expect(readThrough(kafka, replayTopic, 1)).resolves.toEqual(['replayed']);

    const opened = await openDeadLetterStore(
      { redisUrl: redisUrl(), queueName: uniqueName('sasl-dlq'), redisTimeoutMs: 10_000, mirrorTopic },
      undefined,
      kafka,
    );
    try {
      await opened.store.deadLetter(
        {
          topic: 'tweets',
          partition: 0,
          offset: '7',
          timestamp: '1700000000000',
          key: null,
          value: Buffer.from('not avro'),
          headers: {},
        },
        new PoisonMessageError('NOT_AVRO', 'value is not Avro'),
        1,
      );
    } finally {
      await opened.close();
    }
    const [mirrored] = await readThrough(kafka, mirrorTopic, 1);
    expect(JSON.parse(mirrored)).toMatchObject({ code: 'NOT_AVRO', topic: 'tweets', offset: '7' });
  }, 90_000);
});
