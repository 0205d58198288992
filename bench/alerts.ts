// npm run bench:alerts — events/s the spike detector (windows + rules) sustains on one core, for
// the grouping configurations, over synthetic traffic (60 minutes of event time, 1-minute windows,
// 15-minute baseline, anger spikes). Pure CPU: no Kafka, no decoding. Prints a markdown table.
import { performance } from 'node:perf_hooks';
import { SpikeDetector } from '../src/alerts/spike-detector';
import type { ObservedEmotion } from '../src/alerts/observed-emotion';
import type { GroupDimension } from '../src/alerts/alert-options';

const LABELS = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
const LANGS = ['en', 'es', 'pt', 'fr', 'de', 'ja', 'und'];
const MINUTE = 60_000;

function events(count: number, hashtagVocabulary: number): ObservedEmotion[] {
  const t0 = Date.UTC(2026, 0, 1);
  const out: ObservedEmotion[] = [];
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let i = 0; i < count; i += 1) {
    const createdAt = t0 + Math.floor((i / count) * 60 * MINUTE) - Math.floor(random() * 5_000);
    const minute = Math.floor((createdAt - t0) / MINUTE);
    const spike = minute % 20 === 17;
    const label = random() < (spike ? 0.5 : 0.1) ? 'anger' : LABELS[Math.floor(random() * LABELS.length)];
    const hashtags = random() < 0.4 ? [`tag${Math.floor(random() * hashtagVocabulary)}`] : [];
    out.push({
      id: `t${i}`,
      createdAt,
      lang: LANGS[i % LANGS.length],
      hashtags,
      emotion: { label, score: random() },
    });
  }
  return out;
}

const count = Number(process.argv[2] ?? 600_000);
const input = events(count, 500);
const rows: string[] = [];
for (const groupBy of [['all'], ['all', 'lang'], ['all', 'lang', 'hashtag']] as GroupDimension[][]) {
  // A wall clock standing at the end of the hour of event time: every event is inside the clock-skew window.
  const clock = { now: () => Date.UTC(2026, 0, 1, 1) };
  const detector = new SpikeDetector(
    { groupBy: groupBy as [GroupDimension, ...GroupDimension[]], allowedLatenessMs: 10_000 },
    clock,
  );
  let alerts = 0;
  const started = performance.now();
  for (let i = 0; i < input.length; i += 1) {
    detector.observe(input[i], String(i % 6));
    if (i % 500 === 499) alerts += detector.advance().length;
  }
  const seconds = (performance.now() - started) / 1000;
  const stats = detector.stats();
  rows.push(
    `| ${groupBy.join(' + ').padEnd(22)} | ${Math.round(count / seconds)
      .toString()
      .padStart(9)} | ${alerts.toString().padStart(6)} | ${stats.late} |`,
  );
}
process.stdout.write(`${count} events, 60 min of event time, 6 sources, advance every 500 events\n\n`);
process.stdout.write(
  '| groupBy                | events/s  | alerts | late |\n|------------------------|----------:|-------:|-----:|\n',
);
process.stdout.write(`${rows.join('\n')}\n`);
