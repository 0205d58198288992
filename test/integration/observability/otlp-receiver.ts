import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One span as OTLP/JSON carries it (the fields these tests read). */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: Array<{ traceId: string; spanId: string }>;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number; message?: string };
}

interface ExportTraceServiceRequest {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: Record<string, unknown> }> };
    scopeSpans?: Array<{ spans?: ReceivedSpan[] }>;
  }>;
}

/**
 * A real OTLP/HTTP trace receiver: accepts POST /v1/traces and answers like a collector. JSON bodies
 * (http/json) are parsed into spans; protobuf bodies (http/protobuf, the SDK's default) are kept raw.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly resources: Array<Record<string, unknown>> = [];
  readonly protobufBodies: Buffer[] = [];
  readonly contentTypes: string[] = [];
  private server?: Server;
  private port = 0;

  get tracesUrl(): string {
    return `http://127.0.0.1:${this.port}/v1/traces`;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (request.method !== 'POST' || request.url !== '/v1/traces') {
          response.writeHead(404).end();
          return;
        }
        const body = Buffer.concat(chunks);
        const contentType = request.headers['content-type'] ?? '';
        this.contentTypes.push(contentType);
        if (contentType.includes('json')) {
          const parsed = JSON.parse(body.toString('utf8')) as ExportTraceServiceRequest;
          for (const resourceSpans of parsed.resourceSpans ?? []) {
            const attributes = Object.fromEntries(
              (resourceSpans.resource?.attributes ?? []).map((a) => [a.key, Object.values(a.value)[0]]),
            );
            this.resources.push(attributes);
            for (const scope of resourceSpans.scopeSpans ?? []) this.spans.push(...(scope.spans ?? []));
          }
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          this.protobufBodies.push(body);
          // An empty ExportTraceServiceResponse is an empty protobuf message.
          response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}

/** A span attribute's value, whatever its OTLP type (stringValue, intValue, ...). */
export function attribute(span: ReceivedSpan, key: string): unknown {
  const found = span.attributes?.find((item) => item.key === key);
  return found ? Object.values(found.value)[0] : undefined;
}
