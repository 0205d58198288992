import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { listen, urlOf } from '../http/listen';
import { setSecurityHeaders } from '../http/security-headers';
import type { Metrics } from '../telemetry';

/** What the server needs of a metric set: the worker's Metrics, or the alerts service's. */
export type ServedMetrics = Pick<Metrics, 'ready' | 'readinessCheck' | 'expose'>;
import { evaluateReadiness, type ReadinessCheck, type ReadinessReport } from './readiness';

/** Options of {@link startOpsServer}. */
export interface OpsServerOptions {
  /** TCP port (HTTP_PORT); 0 picks a free one (tests). */
  port: number;
  /**
   * Interface to bind (HTTP_HOST / ALERTS_HTTP_HOST). Containers set 0.0.0.0 so the kubelet's probes
   * and Prometheus reach it; elsewhere nothing outside the host should.
   * @defaultValue `127.0.0.1`
   */
  host?: string;
  /** The settings behind port and host, named when the port cannot be bound. @defaultValue `HTTP_PORT/HTTP_HOST` */
  settings?: string;
  metrics: ServedMetrics;
  /** Named conditions of /readyz, e.g. `{ consumer, model, redis }`. @defaultValue none (always ready) */
  readinessChecks?: Record<string, ReadinessCheck>;
  /** A check slower than this fails. Kubernetes' default probe timeout is 1 s. @defaultValue 800 */
  checkTimeoutMs?: number;
  logger?: Logger;
}

export interface OpsServer {
  /** `http://host:port` as bound (the real port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Runs the readiness checks once (what /readyz answers) and updates the readiness gauges. */
  readiness(): Promise<ReadinessReport>;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  setSecurityHeaders(response);
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}

const json = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);

/**
 * The operations endpoint on HTTP_PORT: `/metrics` (Prometheus text), `/healthz` (the process
 * answers: liveness must not depend on Kafka or Redis, or an outage would make Kubernetes restart
 * every replica) and `/readyz` (200 only when every readiness check passes, else 503 naming the
 * failing ones). Each scrape also refreshes `emotion_stream_ready`.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const checks = options.readinessChecks ?? {};
  const timeoutMs = options.checkTimeoutMs ?? 800;
  const { metrics, logger } = options;

  async function readiness(): Promise<ReadinessReport> {
    const report = await evaluateReadiness(checks, timeoutMs);
    metrics.ready.set(report.ready ? 1 : 0);
    for (const [name, result] of Object.entries(report.checks))
      metrics.readinessCheck.set({ check: name }, result.ok ? 1 : 0);
    return report;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return json(response, 405, { error: 'method not allowed' });
    }
    switch (path) {
      case '/healthz':
        return json(response, 200, { status: 'ok' });
      case '/readyz': {
        const report = await readiness();
        if (!report.ready) logger?.warn({ checks: report.checks }, 'readiness probe failed');
        return json(response, report.ready ? 200 : 503, {
          status: report.ready ? 'ready' : 'not ready',
          checks: report.checks,
        });
      }
      case '/metrics': {
        await readiness();
        const { contentType, body } = await metrics.expose();
        return send(response, 200, contentType, body);
      }
      default:
        return json(response, 404, { error: 'not found', endpoints: ['/metrics', '/healthz', '/readyz'] });
    }
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      logger?.error({ err: error }, 'ops endpoint failed');
      if (!response.headersSent) json(response, 500, { error: 'internal error' });
      else response.destroy();
    });
  });
  // Probes and scrapes are short; idle keep-alive sockets must not hold up shutdown.
  server.keepAliveTimeout = 5_000;
  const address: AddressInfo = await listen(server, {
    port: options.port,
    host: options.host ?? '127.0.0.1',
    settings: options.settings ?? 'HTTP_PORT/HTTP_HOST',
  });
  return {
    url: urlOf(address),
    port: address.port,
    readiness,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
