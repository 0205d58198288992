import type { ServerResponse } from 'node:http';

/** Options of {@link SseHub}. */
export interface SseHubOptions {
  /** More viewers than this are answered 503. @defaultValue 100 */
  maxClients?: number;
  /** A viewer with more unsent bytes than this does not read: it is disconnected. @defaultValue 1 MiB */
  maxBufferedBytes?: number;
  /** A viewer whose socket has not drained this long after a write filled it is disconnected. @defaultValue 30000 */
  drainTimeoutMs?: number;
}

interface Viewer {
  response: ServerResponse;
  /** Set while the socket's buffer is full: evicts the viewer unless it drains in time. */
  drainTimer?: NodeJS.Timeout;
}

/**
 * Server-sent-event fan-out. SSE rather than WebSocket: one-way is all the page needs, it is
 * plain HTTP (proxies, curl), and the browser reconnects on its own. Every viewer costs memory
 * for what it has not read yet, so viewers are capped and one that stops reading is dropped
 * (its browser reconnects and starts from a fresh snapshot) instead of buffering without bound.
 */
export class SseHub {
  private readonly viewers = new Map<ServerResponse, Viewer>();
  private readonly maxClients: number;
  private readonly maxBufferedBytes: number;
  private readonly drainTimeoutMs: number;
  private evictedCount = 0;

  constructor(options: SseHubOptions = {}) {
    this.maxClients = options.maxClients ?? 100;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.drainTimeoutMs = options.drainTimeoutMs ?? 30_000;
  }

  /** Starts streaming to `response`; false (and a 503 sent) when the hub is full. */
  add(response: ServerResponse, first?: { event: string; data: unknown }): boolean {
    if (this.viewers.size >= this.maxClients) {
      response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '10' });
      response.end(`too many viewers (DASHBOARD_MAX_CLIENTS=${this.maxClients}); try again later\n`);
      return false;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const viewer: Viewer = { response };
    this.viewers.set(response, viewer);
    response.on('close', () => this.forget(viewer));
    // Reconnect quickly after a restart of the dashboard.
    this.send(viewer, 'retry: 2000\n\n');
    if (first) this.send(viewer, frame(first.event, first.data));
    return true;
  }

  broadcast(event: string, data: unknown): void {
    const text = frame(event, data);
    for (const viewer of [...this.viewers.values()]) this.send(viewer, text);
  }

  /** A comment line keeps idle connections open through proxies. */
  ping(): void {
    for (const viewer of [...this.viewers.values()]) this.send(viewer, ': ping\n\n');
  }

  get size(): number {
    return this.viewers.size;
  }

  /** Viewers disconnected because they did not read. */
  get evicted(): number {
    return this.evictedCount;
  }

  closeAll(): void {
    for (const viewer of [...this.viewers.values()]) {
      this.forget(viewer);
      viewer.response.end();
    }
  }

  private send(viewer: Viewer, text: string): void {
    const { response } = viewer;
    if (response.writableLength + Buffer.byteLength(text) > this.maxBufferedBytes) {
      this.evict(viewer);
      return;
    }
    // write() false: the kernel buffer is full. Keep what fits under the byte bound, but the
    // viewer must drain within drainTimeoutMs or it goes.
    if (!response.write(text) && !viewer.drainTimer) {
      viewer.drainTimer = setTimeout(() => this.evict(viewer), this.drainTimeoutMs);
      viewer.drainTimer.unref();
      response.once('drain', () => {
        clearTimeout(viewer.drainTimer);
        viewer.drainTimer = undefined;
      });
    }
  }

  private evict(viewer: Viewer): void {
    if (!this.viewers.has(viewer.response)) return;
    this.evictedCount += 1;
    this.forget(viewer);
    viewer.response.destroy();
  }

  private forget(viewer: Viewer): void {
    clearTimeout(viewer.drainTimer);
    this.viewers.delete(viewer.response);
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
