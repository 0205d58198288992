import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../core';

/** Where a server listens and which settings chose it, for an error that says what to change. */
export interface ListenTarget {
  port: number;
  host: string;
  /** The settings behind port and host, e.g. `HTTP_PORT/HTTP_HOST`. */
  settings: string;
}

const HINTS: Record<string, string> = {
  EADDRINUSE: 'the port is already in use by another process: stop it or choose another port',
  EACCES: 'permission denied: ports below 1024 need privileges, choose a higher one',
  EADDRNOTAVAIL: 'the address is not one of this host: choose an address of a local interface',
  ENOTFOUND: 'the host name does not resolve: use an IP address such as 127.0.0.1 or 0.0.0.0',
};

/**
 * Starts listening; a bind failure becomes one ConfigError naming the settings and what to check,
 * instead of a raw `listen EADDRINUSE` stack, so the process can exit with one clear line.
 */
export function listen(server: Server, target: ListenTarget): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint = error.code && HINTS[error.code] ? `${HINTS[error.code]} (${error.code})` : error.message;
      reject(
        new ConfigError(`${target.settings}: cannot listen on ${target.host}:${target.port}: ${hint}`, error),
      );
    };
    server.once('error', onError);
    server.listen(target.port, target.host, () => {
      server.off('error', onError);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** `http://host:port` of a bound address, with a wildcard address shown as the loopback one. */
export function urlOf(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}
