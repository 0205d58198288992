import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { SseHub } from '../../../src/dashboard/sse-hub';

// A real HTTP server and real sockets: one viewer reads, the other has stopped reading (paused socket).
describe('SseHub', () => {
  let server: Server;
  let hub: SseHub;
  let port: number;
  const sockets: net.Socket[] = [];

  async function start(options: ConstructorParameters<typeof SseHub>[0]) {
    hub = new SseHub(options);
    server = createServer((_request, response) => hub.add(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  }

  /** Opens /events on a raw socket; `reading` false pauses it so nothing is read from the kernel. */
  async function viewer(
    reading: boolean,
  ): Promise<{ socket: net.Socket; received: () => number; text: () => string }> {
    const socket = net.connect(port, '127.0.0.1');
    sockets.push(socket);
    let bytes = 0;
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (text.length < 4096) text += chunk.toString('utf8');
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('GET /events HTTP/1.1\r\nHost: x\r\n\r\n');
    await waitUntil(() => text.includes('retry: 2000'));
    if (!reading) socket.pause();
    return { socket, received: () => bytes, text: () => text };
  }

  async function waitUntil(condition: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    hub.closeAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers 503 over the viewer cap and admits again once a viewer leaves', async () => {
    await start({ maxClients: 2 });
    const first = await viewer(true);
    await viewer(true);
    const refused = await fetch(`http://127.0.0.1:${port}/events`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(await refused.text()).toMatch(/DASHBOARD_MAX_CLIENTS=2/);
    first.socket.destroy();
    await waitUntil(() => hub.size === 1);
    await viewer(true);
    expect(hub.size).toBe(2);
  });

  it('evicts a viewer that stops reading once its unsent bytes pass the bound; readers keep streaming', async () => {
    await start({ maxBufferedBytes: 256 * 1024, drainTimeoutMs: 60_000 });
    const reader = await viewer(true);
    await viewer(false);
    const payload = 'x'.repeat(64 * 1024);
    // The kernel's socket buffers take a few MB first; after that the paused viewer's bytes pile up here.
    for (let round = 0; round < 2_000 && hub.evicted === 0; round += 1) {
      hub.broadcast('tick', payload);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(hub.evicted).toBe(1);
    expect(hub.size).toBe(1);
    const before = reader.received();
    hub.broadcast('tick', 'after');
    await waitUntil(() => reader.received() > before);
  });

  it('evicts a viewer whose socket does not drain within the drain timeout', async () => {
    await start({ maxBufferedBytes: 512 * 1024 * 1024, drainTimeoutMs: 200 });
    await viewer(false);
    const payload = 'x'.repeat(256 * 1024);
    for (let round = 0; round < 400 && hub.evicted === 0; round += 1) {
      hub.broadcast('tick', payload);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntil(() => hub.evicted === 1);
    expect(hub.size).toBe(0);
  });
});
