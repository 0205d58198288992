import { toEnvelope } from '../../../src/ingest/to-envelope';

test('keeps the original key and value bytes, position and headers (as Buffers)', () => {
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
      repeated: Buffer.from('first'),
      missing: undefined,
    },
  });
});
