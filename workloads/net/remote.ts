// The world beyond the machine: remote hosts with round-trip times, loss rates and the
// services they run (request/response sizes and think times), plus behaviours of remote
// clients that connect in (browsers behind a load balancer, API callers, scanners). A
// RemoteConn is the far end of one TCP connection.
import type { Rng } from '../rng';
import { ip4 } from './sock';
import type { Sock } from './sock';

export interface Service {
  /** Response size (bytes) and server think time (ns) for a request of `req` bytes. */
  respond(req: number, rng: Rng): { bytes: number; thinkNs: number };
  /** The server closes idle connections after this long (ns). */
  idleCloseNs?: number;
  /** Bytes the server sends first on connect (greetings, TLS server hello). */
  banner?: number;
}

export interface RemoteHost {
  ip: number;
  name: string;
  rttNs: number;
  /** Per-segment loss probability. */
  loss: number;
  /** Bytes per ns of the path. */
  bandwidth: number;
  /** What answers a SYN on a port: a service, a reset, or silence. */
  port(port: number): Service | 'refuse' | 'drop';
}

const web = (mean: number, think: number): Service => ({
  respond: (_req, rng) => ({ bytes: Math.max(120, Math.round(rng.lognormal(mean, 1.1))), thinkNs: rng.lognormal(think, 0.7) }),
  idleCloseNs: 60e9,
});

const tls = (mean: number, think: number): Service => ({ ...web(mean, think), banner: 4_200 });

export function defaultHosts(): RemoteHost[] {
  const host = (name: string, ip: string, rttMs: number, loss: number, ports: Record<number, Service | 'refuse' | 'drop'>, otherwise: 'refuse' | 'drop' = 'refuse'): RemoteHost => ({
    ip: ip4(ip),
    name,
    rttNs: rttMs * 1e6,
    loss,
    bandwidth: rttMs > 5 ? 0.05 : 1.0,
    port: (p) => ports[p] ?? otherwise,
  });
  return [
    host('dns', '10.0.0.2', 0.35, 0, { 53: { respond: (_r, rng) => ({ bytes: 60 + rng.int(120), thinkNs: rng.lognormal(150_000, 1.2) }) } }),
    host('example.com', '93.184.216.34', 18, 0.002, { 80: web(8_000, 2e6), 443: tls(14_000, 3e6) }),
    host('github.com', '140.82.112.3', 24, 0.004, { 443: tls(60_000, 25e6), 22: tls(2_000, 5e6) }),
    host('pypi.org', '151.101.0.223', 11, 0.001, { 443: tls(180_000, 4e6) }),
    host('registry-1.docker.io', '54.236.113.205', 31, 0.003, { 443: tls(400_000, 30e6) }),
    host('s3.amazonaws.com', '52.216.8.1', 9, 0.002, { 443: tls(250_000, 12e6) }),
    host('api.internal', '10.0.0.10', 0.6, 0.0005, { 443: tls(2_400, 4e6), 8443: tls(2_400, 4e6), 8080: web(2_000, 3e6) }),
    host('db-replica.internal', '10.0.0.12', 0.5, 0.0005, { 5432: web(1_800, 1.5e6) }),
    host('search.internal', '10.0.0.11', 0.7, 0, {}, 'refuse'),
    host('ghost.internal', '10.0.0.99', 0.5, 1, {}, 'drop'),
    host('cdn.jsdelivr.net', '151.101.1.229', 14, 0.01, { 443: tls(90_000, 6e6) }),
    host('files.evil.example', '45.33.12.7', 95, 0.02, { 80: web(2_500_000, 80e6) }),
    host('pool.minexmr.example', '145.239.9.38', 120, 0.01, { 3333: { respond: (_r, rng) => ({ bytes: 180 + rng.int(200), thinkNs: rng.lognormal(30e6, 0.8) }), banner: 300 } }),
    host('c2.evil.example', '185.220.101.4', 140, 0.03, { 4444: { respond: (_r, rng) => ({ bytes: 20 + rng.int(60), thinkNs: rng.lognormal(2e9, 0.5) }), banner: 40 } }),
  ];
}

/** The far end of a connection to a remote host (or from a remote client). */
export class RemoteConn {
  /** Request bytes received from the local side since the last response. */
  pending = 0;
  /** Responses the client still wants before closing (client connections). */
  requestsLeft = 0;
  closedByRemote = false;
  constructor(
    readonly host: RemoteHost,
    readonly sock: Sock,
    readonly service: Service | null,
  ) {}
}

/** A stream of remote clients opening connections to a local port. */
export interface ClientSpec {
  port: number;
  /** New connections per second. */
  rate: number;
  /** Client addresses to draw from. */
  ips: readonly number[];
  rttNs: number;
  loss: number;
  /** Requests per connection (keep-alive), drawn between these bounds. */
  requests: [number, number];
  /** Request size (bytes, median) and time between requests (ns, median). */
  requestBytes: number;
  thinkNs: number;
  /** Probability that a client resets instead of closing cleanly. */
  resetRate: number;
}
