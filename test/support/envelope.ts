import type { Envelope } from '../../src/core';

/** A record as the consumer hands it to the decoder: only `value` matters to the codec. */
export const envelopeOf = (value: Buffer | null, topic = 'in'): Envelope => ({
  topic,
  partition: 0,
  offset: '0',
  timestamp: '0',
  key: null,
  value,
  headers: {},
});
