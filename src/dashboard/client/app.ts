// The dashboard page: one EventSource, a uPlot chart, plain DOM for the rest. Bundled by
// scripts/build-dashboard.mjs (esbuild) into dist/dashboard/public/app.js; nothing from a CDN.
import uPlot from 'uplot';
import type { EmotionAlert } from '../../core/emotion-alert';
import type { LiveStats, SampleTweet, Snapshot, Tick } from '../live-state';

interface Info {
  outputTopic: string;
  unclassifiedTopic?: string;
  alertTopic: string;
  watchedLabels: string[];
}

const HISTORY_POINTS = 300;
const FALLBACK_COLORS = ['#60a5fa', '#fbbf24', '#34d399', '#f87171', '#c084fc', '#fb923c'];
const root = getComputedStyle(document.documentElement);

function colorOf(label: string, index: number): string {
  const fromCss = root.getPropertyValue(`--${label}`).trim();
  return fromCss || FALLBACK_COLORS[index % FALLBACK_COLORS.length];
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}

function el(tag: string, className?: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const clockTime = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

let labels: string[] = [];
let watched: string[] = ['anger', 'fear'];
let chart: uPlot | undefined;
let data: number[][] = [];
let pointsReceived = 0;
let latestRates: Record<string, number> = {};
let alertsShown = 0;
/** Seconds of the first point with any traffic: the x axis starts there (5 minutes at most), so a young stream fills the chart. */
let firstTrafficT: number | null = null;
const MIN_SPAN_SECONDS = 45;

function noteTraffic(t: number, rates: Record<string, number>): void {
  if (firstTrafficT === null && Object.values(rates).some((rate) => rate > 0)) firstTrafficT = t;
}

function emptyHistory(nowSeconds: number): number[][] {
  const xs = Array.from({ length: HISTORY_POINTS }, (_, i) => nowSeconds - HISTORY_POINTS + 1 + i);
  return [xs, ...labels.map(() => xs.map(() => 0))];
}

function buildChart(): void {
  const container = byId('chart');
  container.textContent = '';
  const axisStyle = {
    stroke: '#8a96c0',
    grid: { stroke: 'rgba(138,150,192,0.12)', width: 1 },
    ticks: { stroke: 'rgba(138,150,192,0.25)', width: 1 },
  };
  const options: uPlot.Options = {
    width: Math.max(320, container.clientWidth),
    height: 340,
    legend: { show: false },
    cursor: { points: { size: 6 } },
    scales: {
      x: {
        time: true,
        range: (_u, min, max) =>
          firstTrafficT === null
            ? [min, max]
            : [Math.max(min, Math.min(firstTrafficT - 2, max - MIN_SPAN_SECONDS)), max],
      },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.2))] },
    },
    axes: [
      { ...axisStyle, space: 80 },
      {
        ...axisStyle,
        size: 50,
        label: 'events / s',
        labelSize: 18,
        values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))),
      },
    ],
    series: [
      {},
      ...labels.map((label, i) => {
        const color = colorOf(label, i);
        return {
          label,
          stroke: color,
          width: watched.includes(label) ? 2.5 : 1.75,
          fill: `${color}1a`,
          points: { show: false },
        };
      }),
    ],
  };
  chart = new uPlot(options, data as uPlot.AlignedData, container);
}

function renderLegend(): void {
  const legend = byId('legend');
  legend.textContent = '';
  labels.forEach((label, i) => {
    const item = el('span', `legend-item${watched.includes(label) ? ' watched' : ''}`);
    item.dataset.label = label;
    const swatch = el('span', 'swatch');
    swatch.style.background = colorOf(label, i);
    item.append(
      swatch,
      el('span', 'name', label),
      el('span', 'value', `${(latestRates[label] ?? 0).toFixed(1)}/s`),
    );
    legend.append(item);
  });
}

function renderStats(stats: LiveStats): void {
  byId('kpi-throughput').textContent = stats.throughput.toFixed(1);
  byId('kpi-total').textContent = stats.totalEvents.toLocaleString();
  byId('kpi-lag').textContent = stats.consumerLag === null ? '–' : stats.consumerLag.toLocaleString();
  byId('kpi-delay').textContent =
    stats.eventDelayMs === null
      ? '–'
      : stats.eventDelayMs < 10_000
        ? `${(stats.eventDelayMs / 1000).toFixed(1)} s`
        : humanDuration(stats.eventDelayMs);
  byId('kpi-alerts').textContent = String(stats.alerts);
  renderNotClassified(stats.notClassified);
  byId('chart-empty').classList.toggle('hidden', stats.totalEvents > 0);
  byId('chart').dataset.events = String(stats.totalEvents);
  const live = stats.lastEventAt !== null && Date.now() - stats.lastEventAt < 15_000;
  setStatus(
    live ? 'live' : 'waiting',
    live ? 'live' : stats.totalEvents > 0 ? 'stream idle' : 'waiting for events',
  );
}

/** "12.0 %" and "es 5.0 % · ja 3.0 % · other 4.0 %": the share the model did not classify, per language. */
function renderNotClassified(notClassified: LiveStats['notClassified']): void {
  byId('kpi-unclassified').textContent = notClassified.count === 0 ? '0 %' : percent(notClassified.share);
  byId('kpi-unclassified').dataset.count = String(notClassified.count);
  byId('kpi-unclassified-languages').textContent =
    notClassified.languages.length === 0
      ? 'language the model cannot read'
      : notClassified.languages.map((item) => `${item.language} ${percent(item.share)}`).join(' · ');
}

function humanDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function setStatus(state: string, text: string): void {
  byId('status').dataset.state = state;
  byId('status-text').textContent = text;
}

function renderSamples(samples: Record<string, SampleTweet[]>): void {
  const container = byId('samples');
  container.textContent = '';
  labels.forEach((label, i) => {
    const column = el('div', 'sample-col');
    column.style.setProperty('--label-color', colorOf(label, i));
    column.dataset.label = label;
    const head = el('h3');
    head.append(
      el('span', undefined, label),
      el('span', 'muted', `${(latestRates[label] ?? 0).toFixed(1)}/s`),
    );
    column.append(head);
    const tweets = samples[label] ?? [];
    if (tweets.length === 0) column.append(el('div', 'empty', 'No tweets yet'));
    for (const tweet of tweets) {
      const item = el('div', 'tweet');
      item.append(
        el('div', undefined, tweet.text),
        el(
          'div',
          'score',
          `${(tweet.score * 100).toFixed(0)} % · ${tweet.lang ?? 'und'} · ${clockTime(tweet.createdAt)}`,
        ),
      );
      column.append(item);
    }
    container.append(column);
  });
}

function alertItem(alert: EmotionAlert): HTMLElement {
  const index = Math.max(0, labels.indexOf(alert.label));
  const item = el('li', 'alert');
  item.dataset.alertId = alert.id;
  item.dataset.label = alert.label;
  item.style.setProperty('--label-color', colorOf(alert.label, index));
  const top = el('div', 'alert-top');
  const scope = alert.groupKey ? ` · ${alert.groupBy}=${alert.groupKey}` : '';
  const title = el('span');
  title.append(
    el('span', 'badge', alert.label),
    el('span', 'muted', `  ${clockTime(alert.windowStart)}–${clockTime(alert.windowEnd)}${scope}`),
  );
  top.append(title, el('span', 'ratio', `×${alert.ratio.toFixed(1)}`));
  const meta = el('div', 'alert-meta');
  meta.innerHTML = '';
  const line1 = el('div');
  line1.append(
    el('b', undefined, `${alert.count}`),
    document.createTextNode(
      ` of ${alert.total} tweets (${percent(alert.share)}) vs ${percent(alert.baselineShare)} baseline`,
    ),
  );
  const line2 = el(
    'div',
    undefined,
    `rule: ≥ ×${alert.minRatio} and ≥ ${alert.minCount} tweets · detected ${clockTime(alert.detectedAt)}`,
  );
  meta.append(line1, line2);
  item.append(top, meta);
  return item;
}

function addAlerts(alerts: EmotionAlert[], replace = false): void {
  const list = byId('alerts');
  if (replace) list.textContent = '';
  for (const alert of alerts) {
    if (list.querySelector(`[data-alert-id="${CSS.escape(alert.id)}"]`)) continue;
    list.prepend(alertItem(alert));
    alertsShown += 1;
  }
  while (list.children.length > 20) list.lastElementChild?.remove();
  byId('alerts-empty').classList.toggle('hidden', list.children.length > 0);
  byId('alerts-count').textContent = list.children.length === 0 ? 'none' : `${list.children.length} shown`;
  document.querySelector('.kpi-alerts')?.classList.toggle('firing', alertsShown > 0);
}

function applySnapshot(snapshot: Snapshot & { info: Info }): void {
  labels = snapshot.labels;
  watched = snapshot.info.watchedLabels;
  byId('topics').textContent = [
    snapshot.info.outputTopic,
    snapshot.info.unclassifiedTopic,
    snapshot.info.alertTopic,
  ]
    .filter((topic) => topic !== undefined)
    .join('  ·  ');
  byId('kpi-watched').textContent = `watching ${watched.join(', ')}`;
  const nowSeconds = Math.floor(Date.now() / 1000);
  data = emptyHistory(nowSeconds);
  // Right-align the server's history onto the zero-filled timeline.
  const history = snapshot.history.slice(-HISTORY_POINTS);
  history.forEach((point, i) => {
    const at = HISTORY_POINTS - history.length + i;
    data[0][at] = point.t;
    labels.forEach((label, s) => (data[s + 1][at] = point.rates[label] ?? 0));
    noteTraffic(point.t, point.rates);
  });
  latestRates = history.length > 0 ? history[history.length - 1].rates : {};
  buildChart();
  renderLegend();
  renderStats(snapshot.stats);
  renderSamples(snapshot.samples);
  addAlerts([...snapshot.alerts].reverse(), true);
}

function applyTick(tick: Tick): void {
  const newLabels = Object.keys(tick.rates).filter((label) => !labels.includes(label));
  if (newLabels.length > 0) {
    labels = [...labels, ...newLabels];
    for (const _ of newLabels) data.push(data[0].map(() => 0));
    buildChart();
  }
  data[0].push(tick.t);
  labels.forEach((label, s) => data[s + 1].push(tick.rates[label] ?? 0));
  if (data[0].length > HISTORY_POINTS) for (const series of data) series.shift();
  latestRates = tick.rates;
  noteTraffic(tick.t, tick.rates);
  pointsReceived += 1;
  chart?.setData(data as uPlot.AlignedData);
  byId('chart').dataset.points = String(pointsReceived);
  renderLegend();
  renderStats(tick.stats);
  renderSamples(tick.samples);
}

function connect(): void {
  const source = new EventSource('events');
  source.addEventListener('snapshot', (event) =>
    applySnapshot(JSON.parse((event as MessageEvent<string>).data) as Snapshot & { info: Info }),
  );
  source.addEventListener('tick', (event) =>
    applyTick(JSON.parse((event as MessageEvent<string>).data) as Tick),
  );
  source.addEventListener('alert', (event) =>
    addAlerts([JSON.parse((event as MessageEvent<string>).data) as EmotionAlert]),
  );
  source.onerror = () => setStatus('offline', 'reconnecting…');
}

// Draw axes and empty states at once, before the server answers.
labels = ['sadness', 'joy', 'love', 'anger', 'fear', 'surprise'];
data = emptyHistory(Math.floor(Date.now() / 1000));
buildChart();
renderLegend();
renderSamples({});
addAlerts([]);
window.addEventListener('resize', () =>
  chart?.setSize({ width: Math.max(320, byId('chart').clientWidth), height: 340 }),
);
(window as unknown as { emotionDashboard: { chart: () => uPlot | undefined } }).emotionDashboard = {
  chart: () => chart,
};
connect();
