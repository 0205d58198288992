import type { ServerResponse } from 'node:http';

/**
 * Server-sent-event fan-out. SSE rather than WebSocket: one-way is all the page needs, it is
 * plain HTTP (proxies, curl), and the browser reconnects on its own.
 */
export class SseHub {
  private readonly clients = new Set<ServerResponse>();

  add(response: ServerResponse, first?: { event: string; data: unknown }): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    // Reconnect quickly after a restart of the dashboard.
    response.write('retry: 2000\n\n');
    if (first) response.write(frame(first.event, first.data));
    this.clients.add(response);
    response.on('close', () => this.clients.delete(response));
  }

  broadcast(event: string, data: unknown): void {
    const text = frame(event, data);
    for (const client of this.clients) client.write(text);
  }

  /** A comment line keeps idle connections open through proxies. */
  ping(): void {
    for (const client of this.clients) client.write(': ping\n\n');
  }

  get size(): number {
    return this.clients.size;
  }

  closeAll(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
