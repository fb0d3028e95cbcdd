/**
 * A small typed client for Firefox's built-in Marionette protocol (WebDriver classic over TCP).
 * No geckodriver: Firefox started with `--marionette` listens on `marionette.port` (127.0.0.1).
 *
 * Wire format (Marionette protocol 3):
 *   - every frame is `<byte length>:<JSON>`;
 *   - on connect the server sends a hello object `{"applicationType":"gecko","marionetteProtocol":3}`;
 *   - commands are `[0, id, "Command:Name", params]`;
 *   - replies are `[1, id, error | null, result | null]`, error = `{error, message, stacktrace}`.
 *
 * Usage:
 *   const client = await MarionetteClient.connect({ port, timeoutMs: 30_000 });
 *   await client.send('WebDriver:NewSession', { capabilities: { alwaysMatch: {} } });
 *   const { value } = await client.send<{ value: string }>('WebDriver:GetCurrentURL');
 *   client.close();
 *
 * Every command has a timeout (default 60 s, per call `{ timeoutMs }`): a reply that never comes
 * rejects with MarionetteTimeoutError instead of hanging. When the socket closes, every pending
 * command rejects with MarionetteConnectionError.
 */
import net from 'node:net';

/** An error reply from Firefox: `.error` is the WebDriver error code ("no such element", ...). */
export class MarionetteError extends Error {
  override readonly name = 'MarionetteError';
  constructor(
    /** WebDriver error code, e.g. "no such element", "javascript error", "script timeout". */
    readonly error: string,
    message: string,
    /** Firefox-side stack trace (may be empty). */
    readonly stacktrace: string,
    /** The command that failed. */
    readonly command: string,
  ) {
    super(`${command}: ${error}: ${message}`);
  }
}

/** No reply within the command's timeout. */
export class MarionetteTimeoutError extends Error {
  override readonly name = 'MarionetteTimeoutError';
  constructor(readonly command: string, readonly timeoutMs: number) {
    super(`${command}: no reply from Marionette within ${timeoutMs} ms`);
  }
}

/** Could not connect, or the connection was closed while a command was pending. */
export class MarionetteConnectionError extends Error {
  override readonly name = 'MarionetteConnectionError';
}

export interface MarionetteHello {
  applicationType: string;
  marionetteProtocol: number;
}

export interface ConnectOptions {
  port: number;
  host?: string;
  /** Keep retrying the connection until this much time has passed (default 30 s). */
  timeoutMs?: number;
  /** Delay between attempts (default 100 ms). */
  retryDelayMs?: number;
  /** Default per-command timeout for this client (default 60 s). */
  commandTimeoutMs?: number;
  /** Called between attempts; return false to stop retrying (e.g. the browser process exited). */
  shouldRetry?: () => boolean;
}

export interface SendOptions {
  /** Reject with MarionetteTimeoutError when no reply comes in this time. */
  timeoutMs?: number;
}

interface Pending {
  command: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type ReplyFrame = [1, number, { error: string; message: string; stacktrace?: string } | null, unknown];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MarionetteClient {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private buffer: Buffer = Buffer.alloc(0);
  private closedError: Error | null = null;
  private helloWaiter: ((hello: MarionetteHello) => void) | null = null;
  hello: MarionetteHello | null = null;
  defaultTimeoutMs: number;

  private constructor(private readonly socket: net.Socket, commandTimeoutMs: number) {
    this.defaultTimeoutMs = commandTimeoutMs;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => this.onClose(err));
    socket.on('close', () => this.onClose(null));
  }

  /** Connect, retrying until Marionette listens and has sent its hello (or the time is up). */
  static async connect(o: ConnectOptions): Promise<MarionetteClient> {
    const host = o.host ?? '127.0.0.1';
    const deadline = Date.now() + (o.timeoutMs ?? 30_000);
    let lastError: unknown = null;
    for (;;) {
      if (o.shouldRetry && !o.shouldRetry()) break;
      try {
        const socket = await openSocket(o.port, host, Math.max(1, Math.min(5_000, deadline - Date.now())));
        const client = new MarionetteClient(socket, o.commandTimeoutMs ?? 60_000);
        await client.waitForHello(Math.max(1_000, Math.min(10_000, deadline - Date.now())));
        return client;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) break;
      await sleep(o.retryDelayMs ?? 100);
    }
    throw new MarionetteConnectionError(
      `could not connect to Marionette on ${host}:${o.port}: ${lastError instanceof Error ? lastError.message : String(lastError ?? 'stopped retrying')}`,
    );
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  /** Send a command and resolve with its result, or reject with MarionetteError / MarionetteTimeoutError. */
  send<T = unknown>(command: string, params: Record<string, unknown> = {}, opts: SendOptions = {}): Promise<T> {
    if (this.closedError) return Promise.reject(new MarionetteConnectionError(`${command}: ${this.closedError.message}`));
    const id = ++this.nextId;
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A late reply for this id is dropped by onFrame.
        this.pending.delete(id);
        reject(new MarionetteTimeoutError(command, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject, timer });
      const json = JSON.stringify([0, id, command, params]);
      this.socket.write(`${Buffer.byteLength(json)}:${json}`);
    });
  }

  /** Close the socket; pending commands reject. */
  close(): void {
    this.onClose(new Error('client closed'));
    this.socket.destroy();
  }

  private waitForHello(timeoutMs: number): Promise<MarionetteHello> {
    if (this.hello) return Promise.resolve(this.hello);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.socket.destroy();
        reject(new Error('no hello from Marionette'));
      }, timeoutMs);
      this.helloWaiter = (h) => {
        clearTimeout(timer);
        resolve(h);
      };
      this.socket.once('close', () => {
        clearTimeout(timer);
        reject(new Error('connection closed before hello'));
      });
    });
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const colon = this.buffer.indexOf(0x3a); // ':'
      if (colon < 0) return;
      const len = Number(this.buffer.subarray(0, colon).toString('latin1'));
      if (!Number.isInteger(len) || len < 0) {
        this.onClose(new Error('malformed Marionette frame'));
        this.socket.destroy();
        return;
      }
      if (this.buffer.length < colon + 1 + len) return;
      const body = this.buffer.subarray(colon + 1, colon + 1 + len).toString('utf8');
      this.buffer = this.buffer.subarray(colon + 1 + len);
      let frame: unknown;
      try {
        frame = JSON.parse(body);
      } catch {
        continue;
      }
      this.onFrame(frame);
    }
  }

  private onFrame(frame: unknown): void {
    if (!Array.isArray(frame)) {
      const hello = frame as MarionetteHello;
      this.hello = hello;
      this.helloWaiter?.(hello);
      this.helloWaiter = null;
      return;
    }
    const [type, id, error, result] = frame as ReplyFrame;
    if (type !== 1) return; // Firefox does not send commands to the client
    const p = this.pending.get(id);
    if (!p) return; // timed out already
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (error) p.reject(new MarionetteError(error.error, error.message, error.stacktrace ?? '', p.command));
    else p.resolve(result);
  }

  private onClose(err: Error | null): void {
    if (this.closedError) return;
    this.closedError = err ?? new Error('connection closed');
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(new MarionetteConnectionError(`${p.command}: ${this.closedError.message}`));
    }
  }
}

function openSocket(port: number, host: string, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error('connect timeout'));
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      s.destroy();
      reject(err);
    });
  });
}
