import { toEnvelope } from '../../../src/ingest/to-envelope';
import { kafkajsMessage } from '../../support/kafkajs-record';

test('keeps the original key and value bytes, position and every header value (as Buffers)', () => {
  const envelope = toEnvelope('tweets', 3, {
    key: Buffer.from('id-1'),
    value: Buffer.from([0, 1, 2]),
    offset: '42',
    timestamp: '1700000000000',
    attributes: 0,
    headers: {
      traceparent: '00-abc-def-01',
      bytes: Buffer.from('x'),
      repeated: ['first', 'second'],
      missing: undefined,
    },
  });
  expect(envelope).toEqual({
    topic: 'tweets',
    partition: 3,
    offset: '42',
    timestamp: '1700000000000',
    key: Buffer.from('id-1'),
    value: Buffer.from([0, 1, 2]),
    headers: {
      traceparent: Buffer.from('00-abc-def-01'),
      bytes: Buffer.from('x'),
      repeated: [Buffer.from('first'), Buffer.from('second')],
    },
  });
});

// kafkajs builds headers with `obj[key] === undefined ? value : [obj[key], value]` on a plain object: a
// header named after an Object.prototype member arrives as [the inherited member, value].
test.each(Object.getOwnPropertyNames(Object.prototype))(
  'a header named %s decoded by kafkajs keeps its own values and nothing inherited',
  (name) => {
    const message = kafkajsMessage({
      key: null,
      value: Buffer.from('v'),
      headers: [
        { name, value: Buffer.from('one') },
        { name: 'other', value: Buffer.from('x') },
        { name, value: Buffer.from('two') },
      ],
    });
    const envelope = toEnvelope('tweets', 0, message);
    expect(Object.keys(envelope.headers)).toEqual([name, 'other']);
    expect(Object.hasOwn(envelope.headers, name)).toBe(true);
    expect(envelope.headers[name]).toEqual([Buffer.from('one'), Buffer.from('two')]);

    const single = toEnvelope(
      'tweets',
      0,
      kafkajsMessage({ key: null, value: null, headers: [{ name, value: Buffer.from('only') }] }),
    );
    expect(single.headers[name]).toEqual(Buffer.from('only'));
  },
);

test('a null header value is kept as an empty value (kafkajs cannot write null back)', () => {
  const envelope = toEnvelope(
    'tweets',
    0,
    kafkajsMessage({
      key: null,
      value: null,
      headers: [
        { name: 'n', value: null },
        { name: 'constructor', value: null },
        { name: 'r', value: null },
        { name: 'r', value: Buffer.from('b') },
      ],
    }),
  );
  expect(envelope.headers.n).toEqual(Buffer.alloc(0));
  expect(envelope.headers.constructor).toEqual(Buffer.alloc(0));
  expect(envelope.headers.r).toEqual([Buffer.alloc(0), Buffer.from('b')]);
});

test('odd keys and timestamps pass through untouched', () => {
  for (const firstTimestamp of ['-1', '0', '9223372036854775807', '-9223372036854775808']) {
    const envelope = toEnvelope(
      't',
      0,
      kafkajsMessage({ key: null, value: null, headers: [], firstTimestamp }),
    );
    expect(envelope.timestamp).toBe(firstTimestamp);
    expect(envelope.key).toBeNull();
  }
  const empty = toEnvelope('t', 0, kafkajsMessage({ key: Buffer.alloc(0), value: null, headers: [] }));
  expect(empty.key).toEqual(Buffer.alloc(0));
  // Shapes kafkajs never produces but a hand-built message might: still no throw.
  const odd = toEnvelope('t', 0, {
    key: null,
    value: null,
    offset: '1',
    timestamp: undefined as unknown as string,
    attributes: 0,
    headers: { weird: [() => undefined, {}, 7] as unknown as Buffer },
  });
  expect(odd.timestamp).toBe('undefined');
  expect(odd.headers).toEqual({});
});
