import type { Server } from 'node:http';

/**
 * Keep idle connections longer than Node's 5 s default. A client (or a load balancer, whose
 * idle timeouts are typically 60 s) that reuses a connection just as the server closes it gets
 * ECONNRESET on a POST, which it may not retry; with 5 s, a busy client hit that race (seen on
 * CI at load 12, between an upload test's requests). The server must outlast its clients.
 */
export function keepConnectionsAlive(server: Server): void {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
