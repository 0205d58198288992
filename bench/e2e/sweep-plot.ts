import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { E2eResult } from './run-e2e';

// The sweep's chart: a hand-built SVG (two panels: throughput and p95 latency against batch size,
// one line per max wait, the per-message baseline dashed), rasterised to PNG by Debian's Chromium
// through playwright-core (already a dev dependency; no native canvas module needed).

const WIDTH = 1640;
const HEIGHT = 490;
const PANEL = { width: 440, height: 320, top: 95 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf'];

interface Series {
  name: string;
  colour: string;
  points: Array<{ x: number; y: number }>;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((candidate) => candidate >= value) ?? value;
}

function panel(
  left: number,
  title: string,
  yLabel: string,
  xs: number[],
  series: Series[],
  baseline?: { label: string; y: number },
): string {
  const yMax = niceMax(Math.max(...series.flatMap((s) => s.points.map((p) => p.y)), baseline?.y ?? 0) * 1.08);
  const px = (index: number) => left + 50 + (index * (PANEL.width - 70)) / Math.max(1, xs.length - 1);
  const py = (y: number) => PANEL.top + PANEL.height - (y / yMax) * PANEL.height;
  const parts: string[] = [
    `<text x="${left + PANEL.width / 2}" y="${PANEL.top - 18}" text-anchor="middle" font-size="16" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let i = 0; i <= 5; i += 1) {
    const y = (yMax * i) / 5;
    parts.push(
      `<line x1="${left + 40}" x2="${left + PANEL.width}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${left + 34}" y="${py(y) + 4}" text-anchor="end" font-size="11">${Math.round(y)}</text>`,
    );
  }
  xs.forEach((x, i) =>
    parts.push(
      `<text x="${px(i)}" y="${PANEL.top + PANEL.height + 18}" text-anchor="middle" font-size="12">${x}</text>`,
    ),
  );
  parts.push(
    `<text x="${left + PANEL.width / 2}" y="${PANEL.top + PANEL.height + 40}" text-anchor="middle" font-size="13">BATCH_MAX_SIZE</text>`,
  );
  parts.push(
    `<text transform="translate(${left + 2} ${PANEL.top + PANEL.height / 2}) rotate(-90)" text-anchor="middle" font-size="13">${escape(yLabel)}</text>`,
  );
  if (baseline) {
    parts.push(
      `<line x1="${left + 40}" x2="${left + PANEL.width}" y1="${py(baseline.y)}" y2="${py(baseline.y)}" stroke="#555" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${left + PANEL.width - 4}" y="${py(baseline.y) - 5}" text-anchor="end" font-size="11" fill="#555">${escape(baseline.label)}</text>`,
    );
  }
  for (const s of series) {
    const coords = s.points.map((p) => `${px(xs.indexOf(p.x))},${py(p.y)}`);
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2" points="${coords.join(' ')}"/>`);
    for (const c of coords)
      parts.push(`<circle cx="${c.split(',')[0]}" cy="${c.split(',')[1]}" r="3.5" fill="${s.colour}"/>`);
  }
  return parts.join('\n');
}

/** The SVG of a sweep: `grid` rows (batch size x max wait) and the per-message baseline. */
export function sweepSvg(
  grid: readonly E2eResult[],
  baseline: E2eResult | undefined,
  subtitle: string,
): string {
  const xs = [...new Set(grid.map((r) => r.batchMaxSize))].sort((a, b) => a - b);
  const waits = [...new Set(grid.map((r) => r.batchMaxWaitMs))].sort((a, b) => a - b);
  const seriesOf = (value: (r: E2eResult) => number | undefined): Series[] =>
    waits.map((wait, i) => ({
      name: `max wait ${wait} ms`,
      colour: COLOURS[i % COLOURS.length],
      points: grid
        .filter((r) => r.batchMaxWaitMs === wait && value(r) !== undefined && Number.isFinite(value(r)))
        .sort((a, b) => a.batchMaxSize - b.batchMaxSize)
        .map((r) => ({ x: r.batchMaxSize, y: value(r) as number })),
    }));
  const throughput = seriesOf((r) => r.e2eTweetsPerS);
  const latency = seriesOf((r) => r.paced?.latencyMs.p95);
  // CPU per tweet hardly depends on how busy the machine is, unlike the two wall-clock panels.
  const cpu = seriesOf((r) => r.cpuPerTweetUs?.e2eProcess);
  const bareCpu: Series = {
    name: 'bare model (mean over waits)',
    colour: '#888',
    points: xs.map((x) => {
      const rows = grid.filter((r) => r.batchMaxSize === x && Number.isFinite(r.cpuPerTweetUs?.bareProcess));
      return {
        x,
        y: rows.reduce((sum, r) => sum + r.cpuPerTweetUs.bareProcess, 0) / Math.max(1, rows.length),
      };
    }),
  };
  const legend = [...throughput, bareCpu]
    .map(
      (s, i) =>
        `<rect x="${60 + i * 170}" y="${HEIGHT - 22}" width="14" height="4" fill="${s.colour}"/><text x="${80 + i * 170}" y="${HEIGHT - 16}" font-size="12">${escape(s.name)}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="17">emotion-stream end to end through Kafka: batch size x max wait</text>
<text x="${WIDTH / 2}" y="42" text-anchor="middle" font-size="12" fill="#444">${escape(subtitle)}</text>
${panel(20, 'Throughput (tweets/s, ready to last output)', 'tweets/s', xs, throughput, baseline ? { label: `per message: ${baseline.e2eTweetsPerS.toFixed(0)}/s`, y: baseline.e2eTweetsPerS } : undefined)}
${panel(570, "p95 latency at 50 % of each setting's max (ms)", 'ms', xs, latency, baseline?.paced ? { label: `per message: ${baseline.paced.latencyMs.p95.toFixed(0)} ms`, y: baseline.paced.latencyMs.p95 } : undefined)}
${panel(1120, `CPU per tweet, whole process (µs)${baseline ? `; per message: ${baseline.cpuPerTweetUs.e2eProcess.toFixed(0)}` : ''}`, 'µs', xs, [...cpu, bareCpu])}
${legend}
</svg>`;
}

/** Writes `<base>.svg` and `<base>.png` (Chromium at /usr/bin/chromium, or CHROMIUM_PATH). */
export async function writeSweepPlot(
  svg: string,
  base: string,
): Promise<{ svgPath: string; pngPath: string }> {
  const svgPath = `${base}.svg`;
  const pngPath = `${base}.png`;
  writeFileSync(svgPath, svg);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    await page.screenshot({ path: pngPath, clip: { x: 0, y: 0, width: WIDTH, height: HEIGHT } });
  } finally {
    await browser.close();
  }
  return { svgPath, pngPath };
}
