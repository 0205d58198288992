import {
  decodedHeaders,
  escapeControl,
  formatEntryTable,
  terminalSafeJson,
} from '../../../src/cli/dlq-format';
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

describe('terminal safety', () => {
  const hostile = '\u001b]0;owned\u0007\u001b[2J\rred\u009b31m\u202eevil\u2028x\u007f';

  it('escapes control characters, C1 controls, DEL, line separators and bidi overrides', () => {
    const escaped = escapeControl(hostile);
    expect(escaped).toBe('\\u001b]0;owned\\u0007\\u001b[2J\\rred\\u009b31m\\u202eevil\\u2028x\\u007f');
    expect(escaped).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/); // eslint-disable-line no-control-regex
    expect(escapeControl('plain text, ünïcode, emoji 😀')).toBe('plain text, ünïcode, emoji 😀');
  });

  it('puts nothing raw in the table, whichever field the attacker chose', () => {
    const row = { ...entry('1', hostile), id: `t:0:1${hostile}`, code: hostile, stage: hostile as 'decode' };
    const table = formatEntryTable([row]);
    expect(table).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/); // eslint-disable-line no-control-regex
    expect(table).toContain('\\u001b');
  });

  it('JSON output stays valid JSON, parses back to the same value, and is terminal-safe', () => {
    const value = { id: hostile, headers: { [hostile]: hostile } };
    const json = terminalSafeJson(value, 2);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/); // eslint-disable-line no-control-regex
    expect(JSON.parse(json)).toEqual(value);
  });
});
