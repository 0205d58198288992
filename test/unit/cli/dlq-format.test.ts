import { decodedHeaders, formatEntryTable } from '../../../src/cli/dlq-format';
import { PoisonMessageError } from '../../../src/core';
import { toDeadLetterEntry } from '../../../src/dlq/dead-letter-entry';

const entry = (offset: string, message: string) =>
  toDeadLetterEntry(
    {
      topic: 'tweets',
      partition: 0,
      offset,
      timestamp: '0',
      key: null,
      value: null,
      headers: { text: Buffer.from('plain'), binary: Buffer.from([0xff, 0xfe]) },
    },
    new PoisonMessageError('NOT_AVRO', message),
    1,
    undefined,
    Date.parse('2026-01-01T00:00:00.000Z'),
  );

describe('dlq list table', () => {
  it('aligns columns and clips long messages to one line', () => {
    const table = formatEntryTable([entry('7', 'short'), entry('1234', `long\nmessage ${'x'.repeat(100)}`)]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID\s+CODE\s+STAGE\s+ATTEMPTS\s+LAST FAILURE\s+MESSAGE$/);
    expect(lines[1].indexOf('NOT_AVRO')).toBe(lines[0].indexOf('CODE'));
    expect(lines[2].indexOf('NOT_AVRO')).toBe(lines[0].indexOf('CODE'));
    expect(lines[2]).toContain('long message xxx');
    expect(lines[2].endsWith('…')).toBe(true);
  });

  it('decodes text headers and leaves binary ones as base64', () => {
    expect(decodedHeaders(entry('1', 'm'))).toEqual({ text: 'plain', binary: 'base64://4=' });
  });
});
