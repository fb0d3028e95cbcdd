// MarionetteClient against a fake Marionette server (no browser needed).
//   node --import tsx --test testing/marionette.test.ts
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import { MarionetteClient, MarionetteConnectionError, MarionetteError, MarionetteTimeoutError } from './marionette';

type Command = [0, number, string, Record<string, unknown>];
type Handler = (cmd: Command, reply: (frame: unknown, opts?: { byteByByte?: boolean }) => void, sock: net.Socket) => void;

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
after(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

const frame = (v: unknown) => {
  const s = JSON.stringify(v);
  return `${Buffer.byteLength(s)}:${s}`;
};

function fakeMarionette(handler: Handler, port = 0): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.write(frame({ applicationType: 'gecko', marionetteProtocol: 3 }));
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const colon = buf.indexOf(':');
        if (colon < 0) return;
        const len = Number(buf.subarray(0, colon).toString());
        if (buf.length < colon + 1 + len) return;
        const cmd = JSON.parse(buf.subarray(colon + 1, colon + 1 + len).toString()) as Command;
        buf = buf.subarray(colon + 1 + len);
        handler(
          cmd,
          (f, o) => {
            const bytes = Buffer.from(frame(f));
            if (!o?.byteByByte) return void sock.write(bytes);
            let i = 0;
            const tick = () => {
              if (i < bytes.length && !sock.destroyed) sock.write(bytes.subarray(i, ++i), () => setImmediate(tick));
            };
            tick();
          },
          sock,
        );
      }
    });
    sock.on('error', () => {});
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, port: (server.address() as net.AddressInfo).port })));
}

async function unusedPort(): Promise<number> {
  const { server, port } = await fakeMarionette(() => {});
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

test('connects once the server comes up, and reads the hello', { timeout: 10_000 }, async () => {
  const port = await unusedPort();
  setTimeout(() => void fakeMarionette(() => {}, port), 400);
  // Nothing listens at first: the hello can only come from the server started 400 ms later.
  const c = await MarionetteClient.connect({ port, timeoutMs: 5_000, retryDelayMs: 50 });
  assert.deepEqual(c.hello, { applicationType: 'gecko', marionetteProtocol: 3 });
  c.close();
});

test('gives up when nothing listens, or when shouldRetry says so', { timeout: 10_000 }, async () => {
  const port = await unusedPort();
  await assert.rejects(MarionetteClient.connect({ port, timeoutMs: 300 }), MarionetteConnectionError);
  let calls = 0;
  await assert.rejects(MarionetteClient.connect({ port, timeoutMs: 5_000, shouldRetry: () => ++calls < 3 }), MarionetteConnectionError);
  assert.equal(calls, 3, 'it stopped when shouldRetry said so, not at the timeout');
});

test('frames: multi-byte UTF-8, replies split byte by byte and out of order', { timeout: 10_000 }, async () => {
  const { port } = await fakeMarionette((cmd, reply) => {
    const [, id, name, params] = cmd;
    if (name === 'Slow') setTimeout(() => reply([1, id, null, { value: 'slow' }]), 100);
    else reply([1, id, null, { value: { echo: params, name } }], { byteByByte: name === 'Split' });
  });
  const c = await MarionetteClient.connect({ port });
  const text = 'pâsskey 🔑 ключ';
  try {
    const [slow, fast] = await Promise.all([c.send<{ value: string }>('Slow'), c.send<{ value: { name: string } }>('Fast')]);
    assert.equal(slow.value, 'slow');
    assert.equal(fast.value.name, 'Fast');
    // (one split reply at a time: the fake server would interleave two)
    const split = await c.send<{ value: { echo: { text: string } } }>('Split', { text });
    assert.equal(split.value.echo.text, text);
  } finally {
    c.close();
  }
});

test('an error reply rejects with a typed MarionetteError', { timeout: 10_000 }, async () => {
  const { port } = await fakeMarionette(([, id], reply) =>
    reply([1, id, { error: 'no such element', message: 'Unable to locate element: #x', stacktrace: 'at find' }, null]),
  );
  const c = await MarionetteClient.connect({ port });
  await assert.rejects(c.send('WebDriver:FindElement', { using: 'css selector', value: '#x' }), (e: unknown) => {
    assert.ok(e instanceof MarionetteError);
    assert.equal(e.error, 'no such element');
    assert.equal(e.stacktrace, 'at find');
    assert.equal(e.command, 'WebDriver:FindElement');
    assert.match(e.message, /no such element: Unable to locate element: #x/);
    return true;
  });
  c.close();
});

test('a lost reply times out, later commands still work, a late reply is ignored', { timeout: 10_000 }, async () => {
  const { port } = await fakeMarionette(([, id, name], reply) => {
    if (name === 'Lost') setTimeout(() => reply([1, id, null, { value: 'too late' }]), 300);
    else reply([1, id, null, { value: name }]);
  });
  const c = await MarionetteClient.connect({ port, commandTimeoutMs: 5_000 });
  await assert.rejects(c.send('Lost', {}, { timeoutMs: 100 }), (e: unknown) => e instanceof MarionetteTimeoutError && e.timeoutMs === 100);
  await new Promise((r) => setTimeout(r, 400)); // the late reply arrives and is dropped
  assert.deepEqual(await c.send('Next'), { value: 'Next' });
  c.close();
});

test('pending commands reject when the connection drops', { timeout: 10_000 }, async () => {
  const { port } = await fakeMarionette((_cmd, _reply, sock) => setTimeout(() => sock.destroy(), 50));
  const c = await MarionetteClient.connect({ port });
  await assert.rejects(c.send('Marionette:Quit'), MarionetteConnectionError);
  assert.ok(c.closed);
  await assert.rejects(c.send('After'), MarionetteConnectionError);
});
