// A real WebDAV server for the sync suites and the benchmark: Debian's Apache httpd with mod_dav,
// configured in a temporary folder, on a free port of 127.0.0.1, with basic auth. No root service:
// `apache2 -f <our conf> -DFOREGROUND` (as root it drops to nobody, like a packaged httpd).
// In front of it, optionally, a tiny proxy of this file that can inject faults the real server
// would not produce on demand (403, 507, connection failures); everything else is Apache's answer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const NOBODY = 65534;

export interface Fault {
  /** Answer this status instead of forwarding (e.g. 403, 507), or drop the connection ('down'). */
  answer: number | 'down';
  /** Only for these methods (default: all). */
  methods?: readonly string[];
}

export interface WebDavServer {
  /** The folder to give Latchkey: http://localhost:PORT/dav/ (through the proxy). */
  folderUrl: string;
  /** Straight to Apache, no proxy. */
  apacheUrl: string;
  userName: string;
  appPassword: string;
  /** The folder on disk that Apache serves (to read or damage files, as an attacker holding the server would). */
  root: string;
  /** Every request the proxy saw: method and path. */
  requests: { method: string; path: string; status: number }[];
  setFault(f: Fault | null): void;
  /** Holds each PUT this long before forwarding it (a slow server, so a test can stop a worker mid-upload). */
  setPutDelay(ms: number): void;
  /** Files under the folder, relative paths. */
  files(): string[];
  close(): Promise<void>;
}

/** Installs Debian's apache2 when it is missing (root only, as on a fresh CI machine). */
export function ensureApache(): void {
  if (existsSync(APACHE) && existsSync(join(MODULES, 'mod_dav_fs.so'))) return;
  if (process.getuid?.() !== 0) throw new Error('Apache httpd (Debian package apache2) is needed for the sync suites: apt-get install apache2');
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'apache2']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
  }
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function conf(dir: string, port: number): string {
  const mods = ['mpm_event', 'authz_core', 'authn_core', 'authn_file', 'auth_basic', 'authz_user', 'dav', 'dav_fs'];
  const asRoot = process.getuid?.() === 0;
  return [
    `ServerRoot "${dir}"`,
    `Listen 127.0.0.1:${port}`,
    'ServerName localhost',
    `PidFile "${dir}/httpd.pid"`,
    `ErrorLog "${dir}/error.log"`,
    'LogLevel warn',
    ...mods.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`),
    ...(asRoot ? ['User nobody', 'Group nogroup'] : []),
    `DAVLockDB "${dir}/lock/DavLock"`,
    `DocumentRoot "${dir}/www"`,
    'LogFormat "%m %U %>s" brief',
    `CustomLog "${dir}/access.log" brief`,
    'StartServers 1', 'ServerLimit 1', 'ThreadsPerChild 16', 'MaxRequestWorkers 16',
    `<Directory "${dir}/www">`,
    '  Dav On',
    '  AuthType Basic', '  AuthName "Latchkey sync test"', `  AuthUserFile "${dir}/htpasswd"`, '  Require valid-user',
    '</Directory>',
    '',
  ].join('\n');
}

async function waitForPort(port: number, proc: ChildProcess, dir: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`apache2 exited (${proc.exitCode}): ${readFileSync(join(dir, 'error.log'), 'utf8').slice(-2000)}`);
    const ok = await new Promise<boolean>((r) => {
      const req = request({ host: '127.0.0.1', port, path: '/', method: 'OPTIONS' }, (res) => { res.resume(); r(true); });
      req.on('error', () => r(false));
      req.end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('apache2 did not start listening');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startWebDav(o: { userName?: string; appPassword?: string } = {}): Promise<WebDavServer> {
  ensureApache();
  const userName = o.userName ?? 'ann';
  const appPassword = o.appPassword ?? 'app-password-0123';
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-webdav-'));
  mkdirSync(join(dir, 'www', 'dav'), { recursive: true });
  mkdirSync(join(dir, 'lock'));
  // {SHA} entries are read by mod_authn_file as they are (no htpasswd binary needed).
  writeFileSync(join(dir, 'htpasswd'), `${userName}:{SHA}${createHash('sha1').update(appPassword).digest('base64')}\n`);
  if (process.getuid?.() === 0) {
    for (const p of [dir, join(dir, 'www'), join(dir, 'www', 'dav'), join(dir, 'lock')]) chownSync(p, NOBODY, NOBODY);
  }
  let proc: ChildProcess | null = null;
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    writeFileSync(join(dir, 'httpd.conf'), conf(dir, port));
    proc = spawn(APACHE, ['-f', join(dir, 'httpd.conf'), '-DFOREGROUND'], { stdio: 'ignore', env: { ...process.env, APACHE_RUN_DIR: dir, APACHE_LOCK_DIR: dir } });
    try {
      await waitForPort(port, proc, dir);
      break;
    } catch (e) {
      proc.kill('SIGTERM');
      if (attempt >= 2) throw e; // the free port was taken in between: try another
    }
  }

  // The proxy: forwards to Apache as it is, unless a fault is set.
  let fault: Fault | null = null;
  let putDelay = 0;
  const requests: WebDavServer['requests'] = [];
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    if (fault && (!fault.methods || fault.methods.includes(method))) {
      requests.push({ method, path, status: fault.answer === 'down' ? 0 : fault.answer });
      if (fault.answer === 'down') { req.socket.destroy(); return; }
      req.resume();
      res.writeHead(fault.answer, { 'Content-Type': 'text/plain' }).end(`injected ${fault.answer}`);
      return;
    }
    const forward = () => {
    const up = request({ host: '127.0.0.1', port, path, method, headers: req.headers }, (ur) => {
      requests.push({ method, path, status: ur.statusCode ?? 0 });
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => { res.writeHead(502).end(); });
    req.pipe(up);
    };
    if (method === 'PUT' && putDelay > 0) setTimeout(forward, putDelay); else forward();
  });
  proxy.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = (proxy.address() as AddressInfo).port;
  const www = join(dir, 'www', 'dav');

  const files = (): string[] => {
    const out: string[] = [];
    const walk = (d: string, rel: string) => {
      for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`); else out.push(`${rel}${n}`);
      }
    };
    walk(www, '');
    return out.sort();
  };

  return {
    folderUrl: `http://localhost:${proxyPort}/dav/`,
    apacheUrl: `http://127.0.0.1:${port}/dav/`,
    userName, appPassword, root: www, requests, files,
    setPutDelay(ms) { putDelay = ms; },
    setFault(f) { fault = f; if (f?.answer === 'down') for (const s of sockets) s.destroy(); },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => proxy.close(() => r()));
      if (proc && proc.exitCode === null) {
        const exited = new Promise((r) => proc!.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
