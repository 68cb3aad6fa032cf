// PostgreSQL: the postmaster listens on 5432 and forks a backend per connection; a
// backend reads queries (exec_simple_query with the query text in user memory), plans
// and executes them reading 8 KiB pages of relation files with pread64 (hits and misses
// in the page cache, so block reads on the HDD holding the data), writes WAL and
// fdatasyncs it at commit, and sends results. The checkpointer, WAL writer and
// autovacuum launcher run beside them.
import * as E from '../errno';
import type { Task } from '../kernel/task';
import { LIBC } from '../user/binary-table';
import { NR, U, type Gen } from '../user/libc';
import { ustack, type UStack } from '../user/ustack';
import { PG_RELATIONS } from '../fs/tree-data';
import { register } from './registry';

const PG = '/usr/lib/postgresql/16/bin/postgres';
const DATA = '/var/lib/postgresql/16/main';
const WAL = `${DATA}/pg_wal/000000010000000A00000042`;

function st(...fns: string[]): UStack {
  return ustack(...fns.map((f) => `${PG}:${f}`), `${PG}:main`, `${LIBC}:__libc_start_call_main`, `${LIBC}:__libc_start_main`);
}

const BACKEND = ['PostgresMain', 'BackendStartup', 'ServerLoop', 'PostmasterMain'];
const S = {
  read: st('pq_getbyte', 'secure_read', ...BACKEND),
  parse: st('pg_parse_query', 'exec_simple_query', ...BACKEND),
  plan: st('planner', 'pg_plan_queries', 'exec_simple_query', ...BACKEND),
  scan: st('mdread', 'ReadBufferExtended', 'heap_getnextslot', 'ExecSeqScan', 'ExecScan', 'standard_ExecutorRun', 'ExecutorRun', 'PortalRun', 'exec_simple_query', ...BACKEND),
  index: st('mdread', 'ReadBufferExtended', 'index_getnext_slot', 'ExecIndexScan', 'standard_ExecutorRun', 'ExecutorRun', 'PortalRun', 'exec_simple_query', ...BACKEND),
  exec: st('ExecHashJoin', 'standard_ExecutorRun', 'ExecutorRun', 'PortalRun', 'exec_simple_query', ...BACKEND),
  wal: st('XLogFlush', 'CommitTransactionCommand', 'exec_simple_query', ...BACKEND),
  send: st('pq_flush', 'secure_write', 'exec_simple_query', ...BACKEND),
  server: st('ServerLoop', 'PostmasterMain'),
  checkpointer: st('CreateCheckPoint', 'CheckpointerMain', 'PostmasterMain'),
  walwriter: st('XLogBackgroundFlush', 'WalWriterMain', 'PostmasterMain'),
  autovac: st('AutoVacLauncherMain', 'PostmasterMain'),
};

/** Query shapes: text, pages read (index or scan), whether it writes, CPU per page. */
const QUERIES: readonly (readonly [text: string, kind: 'index' | 'scan' | 'write', pages: number, weight: number])[] = [
  ['SELECT * FROM orders WHERE id = $1', 'index', 3, 40],
  ['SELECT name, email FROM users WHERE id = $1', 'index', 3, 25],
  ['SELECT * FROM order_items WHERE order_id = $1', 'index', 6, 15],
  ['UPDATE orders SET status = $1 WHERE id = $2', 'write', 4, 8],
  ['INSERT INTO events (kind, payload, at) VALUES ($1, $2, now())', 'write', 2, 8],
  ['SELECT count(*) FROM orders WHERE created_at > now() - interval \'1 day\'', 'scan', 180, 2],
  ['SELECT p.name, sum(i.qty) FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.name ORDER BY 2 DESC LIMIT 10', 'scan', 600, 1],
  ['BEGIN', 'index', 0, 3],
  ['COMMIT', 'write', 0, 3],
];

const WEIGHTED_QUERIES = QUERIES.map((q) => [q, q[3]] as const);

function relFiles(): string[] {
  return PG_RELATIONS.map(([rel]) => `${DATA}/base/16384/${rel}`);
}

function* backend(t: Task, conn: number): Gen<number> {
  const u = new U(t, S.read);
  const rels = relFiles();
  const fds = new Map<string, number>();
  const wal = yield u.open(WAL, E.O_RDWR | E.O_CLOEXEC);
  const relSizes = PG_RELATIONS.map(([, size]) => size);
  for (;;) {
    u.at(S.read);
    const n = yield u.libc('recv', NR.recvfrom, conn, u.buf('pq', 8192), 8192, 0, 0, 0);
    if (n <= 0) break;
    const [text, kind, pages] = u.rng.weighted(WEIGHTED_QUERIES);
    const [q] = u.text('query', text);
    yield* u.fn(`${PG}:exec_simple_query`, [q], function* (): Gen<void> {
      u.at(S.parse);
      yield* u.fn(`${PG}:pg_parse_query`, [q], function* (): Gen<number> {
        yield u.cpu(15_000 + text.length * 120);
        return 0;
      });
      u.at(S.plan);
      yield u.cpu(25_000 + u.rng.int(60_000));
      yield* u.fn(`${PG}:ExecutorRun`, [u.buf('qd', 256), 1, 0, 1], function* (): Gen<void> {
        const i = kind === 'scan' ? 0 : u.rng.int(rels.length);
        const path = rels[i];
        let fd = fds.get(path);
        if (fd === undefined) {
          fd = yield u.open(path, E.O_RDWR | E.O_CLOEXEC);
          fds.set(path, fd);
        }
        const blocks = Math.max(1, Math.floor(relSizes[i] / 8192));
        // Hot rows cluster near the end of a table; scans read sequentially.
        let blk = kind === 'scan' ? u.rng.int(Math.max(1, blocks - pages)) : Math.floor(blocks * (1 - Math.pow(u.rng.float(), 3) * 0.9)) - 1;
        for (let p = 0; p < pages; p++) {
          u.at(kind === 'scan' ? S.scan : S.index);
          yield* u.fn(`${PG}:mdread`, [0, 0, blk, u.buf('page', 8192)], function* (): Gen<number> {
            return yield u.pread(fd!, u.buf('page', 8192), 8192, Math.max(0, blk) * 8192);
          });
          yield u.cpu(kind === 'scan' ? 4_000 : 9_000);
          blk = kind === 'scan' ? blk + 1 : Math.max(0, blk - 1 - u.rng.int(50));
        }
        if (kind === 'scan') yield u.cpu(pages * 2_000, S.exec);
      });
      if (kind === 'write') {
        u.enter(`${PG}:XLogInsert`, 10, 0);
        u.leave(`${PG}:XLogInsert`, u.k.now);
        u.at(S.wal);
        yield* u.fn(`${PG}:XLogFlush`, [Math.floor(u.k.now)], function* (): Gen<number> {
          if (wal >= 0) {
            yield u.pwrite(wal, u.buf('walbuf', 8192), 8192, u.rng.int(2048) * 8192);
            return yield u.fdatasync(wal);
          }
          return 0;
        });
      }
      u.at(S.send);
      yield u.libc('send', NR.sendto, conn, u.buf('result', 8192), 120 + pages * 60, 0, 0, 0);
    });
  }
  yield u.close(conn);
  return 0;
}

function* checkpointer(t: Task): Gen<number> {
  const u = new U(t, S.checkpointer);
  for (;;) {
    yield u.sleep(15e9 * u.rng.lognormal(1, 0.1));
    u.at(S.checkpointer);
    const fd = yield u.open(`${DATA}/base/16384/16398`, E.O_RDWR | E.O_CLOEXEC);
    for (let i = 0; i < 24; i++) yield u.pwrite(fd, u.buf('page', 8192), 8192, u.rng.int(38_000) * 8192);
    yield u.fsync(fd);
    yield u.close(fd);
    const ctl = yield u.open(`${DATA}/global/pg_control`, E.O_RDWR | E.O_CLOEXEC);
    yield u.write(ctl, u.buf('page', 8192), 8192);
    yield u.fsync(ctl);
    yield u.close(ctl);
  }
}

function* walwriter(t: Task): Gen<number> {
  const u = new U(t, S.walwriter);
  const wal = yield u.open(WAL, E.O_RDWR | E.O_CLOEXEC);
  for (;;) {
    yield u.sleep(200e6);
    if (u.rng.chance(0.3) && wal >= 0) {
      yield u.pwrite(wal, u.buf('walbuf', 8192), 8192, u.rng.int(2048) * 8192);
      yield u.fdatasync(wal);
    }
  }
}

function* autovacuum(t: Task): Gen<number> {
  const u = new U(t, S.autovac);
  for (;;) {
    yield u.sleep(6e9);
    yield u.cpu(300_000);
    const fd = yield u.open(`${DATA}/base/16384/1259`, E.O_RDONLY | E.O_CLOEXEC);
    yield u.pread(fd, u.buf('page', 8192), 8192, 0);
    yield u.close(fd);
  }
}

function* postmaster(u: U): Gen<number> {
  u.at(S.server);
  yield* u.slurp(`${DATA}/PG_VERSION`);
  yield* u.slurp('/etc/postgresql/16/main/postgresql.conf', 32768);
  yield* u.slurp('/etc/postgresql/16/main/pg_hba.conf');
  const ls = yield u.socket();
  yield* u.bindListen(ls, 0, 5432, 244);
  const pid = yield u.open(`${DATA}/postmaster.pid`, E.O_WRONLY | E.O_CREAT | E.O_TRUNC, 0o600);
  yield u.print(pid, `${u.t.tgid}\n`);
  yield u.close(pid);
  yield u.fork((t) => checkpointer(t));
  yield u.fork((t) => walwriter(t));
  yield u.fork((t) => autovacuum(t));
  u.t.proc.reaps = true;
  for (;;) {
    u.at(S.server);
    const c = yield u.accept(ls);
    if (c < 0) continue;
    yield u.fork((t) => backend(t, c));
    yield u.close(c);
    for (;;) {
      const r = yield u.sys(NR.wait4, -1, 0, 1, 0);
      if (r <= 0) break;
    }
  }
}

register([PG], (u) => postmaster(u));
