// Remote clients of the simulated machine's servers: streams of connections arriving at
// a local port at a given rate, each sending a few requests with think times in
// between, then closing or resetting. The sockets themselves are net.ts's.
import * as E from '../errno';
import type { Net } from './net';
import { LOCAL_IP } from './net';
import { S } from './net-stacks';
import { child, reset } from './handshake';
import { RemoteConn, type ClientSpec, type RemoteHost } from './remote';
import { ipText, TCP } from './sock';

export class RemoteClients {
  /** Hosts that only ever connect in (clients), per client stream and address. */
  private readonly clientHosts = new Map<ClientSpec, Map<number, RemoteHost>>();

  constructor(private readonly net: Net) {}

  /** Starts a stream of remote clients connecting to a local port. */
  addClients(spec: ClientSpec): void {
    const k = this.net.k;
    const arrive = () => {
      k.at(k.now + k.rng.exp(1e9 / spec.rate), () => {
        this.clientConnect(spec);
        arrive();
      });
    };
    arrive();
  }

  private clientConnect(spec: ClientSpec): void {
    const k = this.net.k;
    const ip = k.rng.pick(spec.ips);
    const port = 1024 + k.rng.int(64000);
    let perSpec = this.clientHosts.get(spec);
    if (!perSpec) this.clientHosts.set(spec, (perSpec = new Map()));
    let host = this.net.hostByIp.get(ip) ?? perSpec.get(ip);
    if (!host) perSpec.set(ip, (host = { ip, name: ipText(ip), rttNs: spec.rttNs, loss: spec.loss, bandwidth: 0.2, port: () => 'refuse' }));
    const cpu = port % k.nrCpus;
    k.at(k.now + host.rttNs / 2, () => {
      const l = this.net.listenerFor(LOCAL_IP, spec.port);
      this.net.packets.receive(l ?? null, 0, cpu, true, (ctx) => {
        if (!l) {
          this.net.packets.drop(null, 0, 3 /* NO_SOCKET */, cpu);
          if (this.net.hSendReset.on) k.tracepoint(this.net.hSendReset, ctx, S.softirq.under('tcp_reset'), [0, 0, TCP.CLOSE, 1, new Uint8Array(28), new Uint8Array(28)]);
          this.net.stats.drops++;
          return;
        }
        if (l.acceptQueue.length >= l.backlog) {
          this.net.packets.drop(l, 0, 41 /* TCP_LISTEN_OVERFLOW */, cpu);
          this.net.stats.drops++;
          return;
        }
        const c = child(this.net, l, ip, port, ctx);
        const r = new RemoteConn(host!, c, null);
        r.requestsLeft = spec.requests[0] + k.rng.int(spec.requests[1] - spec.requests[0] + 1);
        c.remote = r;
        c.srttUs = Math.round(host.rttNs / 1000);
        (r as RemoteConn & { spec?: ClientSpec }).spec = spec;
        this.clientRequest(r, host.rttNs);
      }, false);
    });
  }

  /** A remote client sends its next request after `delay`. */
  private clientRequest(r: RemoteConn, delay: number): void {
    const k = this.net.k;
    const spec = (r as RemoteConn & { spec?: ClientSpec }).spec!;
    const s = r.sock;
    const n = Math.max(60, Math.round(k.rng.lognormal(spec.requestBytes, 0.5)));
    const enc = new TextEncoder();
    k.at(k.now + delay, () => {
      if (s.closed || s.state !== TCP.ESTABLISHED) return;
      this.net.packets.receive(s, n, s.rport % k.nrCpus, true, (ctx) => this.net.deliver(s, n, ctx, enc.encode(requestLine(spec.port, k.rng.u32()))));
    });
  }

  /** The local server answered a remote client: next request, or close. */
  clientReceived(r: RemoteConn, n: number): void {
    const k = this.net.k;
    const spec = (r as RemoteConn & { spec?: ClientSpec }).spec;
    if (!spec || n <= 0) return;
    const s = r.sock;
    if (r.pending < 0) return;
    r.pending = -1;
    k.at(k.now + 1_000, () => (r.pending = 0));
    if (--r.requestsLeft > 0) {
      this.clientRequest(r, k.rng.lognormal(spec.thinkNs, 0.8) + r.host.rttNs);
      return;
    }
    const rtt = r.host.rttNs;
    if (k.rng.chance(spec.resetRate)) {
      k.at(k.now + rtt, () => this.net.packets.receive(s, 0, s.rport % k.nrCpus, true, (ctx) => reset(this.net, s, ctx, E.ECONNRESET), false));
      return;
    }
    k.at(k.now + rtt + k.rng.exp(2e6), () => this.net.remoteClose(s));
  }
}

const PATHS = ['/', '/index.html', '/css/site.css', '/js/app.js', '/img/hero.jpg', '/api/orders', '/api/users/42', '/docs/install.html', '/favicon.ico', '/api/cart', '/login', '/pricing.html'];

function requestLine(port: number, r: number): string {
  if (port === 5432) return 'Q\0\0\0\x1eSELECT * FROM orders WHERE id=1\0';
  return `GET ${PATHS[r % PATHS.length]} HTTP/1.1\r\nHost: web-01\r\n\r\n`;
}
