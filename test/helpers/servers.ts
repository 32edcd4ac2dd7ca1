/** Real loopback servers for tests: each on 127.0.0.1 port 0, closed by the returned function. */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Running {
  port: number;
  close(): Promise<void>;
}

export async function listen(server: net.Server): Promise<Running> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** An HTTP server answering every request with the handler. */
export function httpServer(handler: http.RequestListener): Promise<Running> {
  return listen(http.createServer(handler));
}

/** A device that hangs: accepts the connection, reads the request, never answers. */
export function hangingServer(): Promise<Running & { connections: () => number }> {
  let n = 0;
  const server = net.createServer((s) => {
    n++;
    s.on('data', () => {});
    s.on('error', () => {});
  });
  return listen(server).then((r) => ({ ...r, connections: () => n }));
}

/** A promise with its resolver, for waiting on a real event instead of sleeping. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
