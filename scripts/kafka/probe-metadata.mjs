#!/usr/bin/env node
// Readiness probe for a Kafka broker: sends one real Metadata request (v4, which Kafka 2.x through 4.x all serve)
// and exits 0 only when the broker answers with at least one live broker and a known controller.
// A plain TCP check is not enough: a starting broker accepts connections before it can serve metadata.
// No dependencies, so it runs before `npm ci`. Plaintext only (the local broker); SASL/TLS brokers are not probed.
// Usage: node probe-metadata.mjs host:port [timeoutMs]   -> prints "brokers=N controller=ID" on success.
import net from 'node:net';

const [address = '127.0.0.1:9092', timeoutArg = '3000'] = process.argv.slice(2);
const separator = address.lastIndexOf(':');
const host = address.slice(0, separator).replace(/^\[|\]$/g, '');
const port = Number(address.slice(separator + 1));
const timeoutMs = Number(timeoutArg);

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;
const CORRELATION_ID = 1;
const clientId = Buffer.from('emotion-stream-probe');

function metadataRequest() {
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let offset = 0;
  offset = body.writeInt16BE(METADATA_API_KEY, offset);
  offset = body.writeInt16BE(METADATA_VERSION, offset);
  offset = body.writeInt32BE(CORRELATION_ID, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  offset += clientId.copy(body, offset);
  offset = body.writeInt32BE(0, offset); // topics: empty array -> broker list only, no topic auto-creation
  body.writeInt8(0, offset); // allow_auto_topic_creation = false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function parseMetadata(frame) {
  let offset = 0;
  const int32 = () => { const v = frame.readInt32BE(offset); offset += 4; return v; };
  const int16 = () => { const v = frame.readInt16BE(offset); offset += 2; return v; };
  const nullableString = () => { const length = int16(); if (length < 0) return null; const s = frame.toString('utf8', offset, offset + length); offset += length; return s; };
  if (int32() !== CORRELATION_ID) throw new Error('unexpected correlation id');
  int32(); // throttle_time_ms
  const brokerCount = int32();
  for (let i = 0; i < brokerCount; i += 1) {
    int32(); nullableString(); int32(); nullableString(); // node_id, host, port, rack
  }
  nullableString(); // cluster_id
  return { brokerCount, controllerId: int32() };
}

function fail(reason) {
  process.stderr.write(`kafka probe ${address}: ${reason}\n`);
  process.exit(1);
}

const socket = net.connect({ host, port });
const timer = setTimeout(() => { socket.destroy(); fail(`no metadata answer within ${timeoutMs} ms`); }, timeoutMs);
let received = Buffer.alloc(0);
socket.on('connect', () => socket.write(metadataRequest()));
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
  clearTimeout(timer);
  socket.destroy();
  try {
    const { brokerCount, controllerId } = parseMetadata(received.subarray(4));
    if (brokerCount < 1 || controllerId < 0) fail(`not ready (brokers=${brokerCount} controller=${controllerId})`);
    process.stdout.write(`brokers=${brokerCount} controller=${controllerId}\n`);
  } catch (error) {
    fail(`unreadable metadata answer (${error.message})`);
  }
});
socket.on('error', (error) => { clearTimeout(timer); fail(error.code ?? error.message); });
socket.on('close', () => { if (received.length === 0) { clearTimeout(timer); fail('connection closed without an answer'); } });
