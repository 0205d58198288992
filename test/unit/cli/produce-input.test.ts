import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { detectFormat, parseLine, tweetFileFormat } from '../../../src/cli/produce/input-formats';
import { readTweets, type SourcedTweet } from '../../../src/cli/produce/tweet-source';

const dir = mkdtempSync(path.join(tmpdir(), 'produce-input-'));
function fileWith(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function collect(source: AsyncIterable<SourcedTweet>): Promise<SourcedTweet[]> {
  const all: SourcedTweet[] = [];
  for await (const item of source) all.push(item);
  return all;
}

describe('produce input formats', () => {
  it.each([
    ['{"text":"hi"}', 'jsonl'],
    ['text;label_name', 'dair'],
    ['i feel great;joy', 'dair'],
    ['i feel great; really', 'text'],
    ['{not json at all', 'text'],
  ])('detects %j as %s', (line, format) => {
    expect(detectFormat(line)).toBe(format);
  });

  it('splits dair-ai lines at the last semicolon and skips the header', () => {
    expect(parseLine('dair', 'text;label_name', 1)).toBeUndefined();
    expect(parseLine('dair', 'a; b;anger', 2)).toEqual({ tweet: { text: 'a; b' }, label: 'anger' });
  });

  it('reads JSONL fields in snake_case or camelCase and rejects a line without text, naming it', () => {
    expect(
      parseLine(
        'jsonl',
        '{"text":"x","id":7,"created_at":"2024-01-02T03:04:05Z","userName":"Ann","hashtags":["h"],"label":"joy"}',
        1,
      ),
    ).toEqual({
      tweet: {
        text: 'x',
        id: '7',
        createdAt: Date.parse('2024-01-02T03:04:05Z'),
        lang: null,
        userId: null,
        userName: 'Ann',
        source: null,
        hashtags: ['h'],
        attributes: {},
      },
      label: 'joy',
    });
    expect(() => parseLine('jsonl', '{"id":"1"}', 3)).toThrow(/line 3: "text"/);
  });

  it('fills in ids and timestamps, keeps given ones, and makes repeated ids unique', async () => {
    const file = fileWith('mixed.jsonl', '{"text":"a","id":"given","created_at":5}\n\n{"text":"b"}\n');
    const tweets = await collect(
      readTweets({ file, format: 'auto', idPrefix: 'p', repeat: 2, now: () => 99 }),
    );
    expect(tweets.map(({ tweet }) => [tweet.id, tweet.createdAt])).toEqual([
      ['given-r1', 5],
      ['p-2', 99],
      ['given-r2', 5],
      ['p-4', 99],
    ]);
  });

  it('reads the dair-ai format with labels, stopping at the limit', async () => {
    const file = fileWith('dair.txt', 'text;label_name\ni am sad;sadness\ni am glad;joy\nso angry;anger\n');
    const skipped = { count: 0 };
    const tweets = await collect(readTweets({ file, format: 'auto', idPrefix: 'd', limit: 2, skipped }));
    expect(tweets.map(({ tweet, label }) => [tweet.id, tweet.text, label])).toEqual([
      ['d-1', 'i am sad', 'sadness'],
      ['d-2', 'i am glad', 'joy'],
    ]);
    expect(skipped.count).toBe(1);
  });
});

describe('tweetFileFormat', () => {
  it('reads the old name plain as text, the one name classify and tokenize use', () => {
    expect(tweetFileFormat('plain')).toBe('text');
    expect(tweetFileFormat('jsonl')).toBe('jsonl');
  });
});
