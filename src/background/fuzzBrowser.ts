// Test-only (never bundled: only *.fuzz.test.ts import it). An in-memory stand-in for the parts of
// the WebExtension API the background uses, so the real background (src/background/index.ts, with
// its real vault on fake-indexeddb) can be driven message by message. What it fakes is the
// browser's plumbing (events, storage areas, window ids), not any decision of Latchkey's: storage
// values are cloned as the browser clones them; a sender is whatever the test says the browser
// would report.

type Listener = (...args: never[]) => unknown;
export interface FakeEvent<L extends Listener = Listener> { listeners: L[]; addListener(l: L): void; removeListener(l: L): void; hasListener(l: L): boolean }
function event<L extends Listener = Listener>(): FakeEvent<L> {
  const listeners: L[] = [];
  return {
    listeners,
    addListener(l) { listeners.push(l); },
    removeListener(l) { const i = listeners.indexOf(l); if (i >= 0) listeners.splice(i, 1); },
    hasListener(l) { return listeners.includes(l); },
  };
}

function area() {
  const map = new Map<string, unknown>();
  const pick = (keys: unknown): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (keys === null || keys === undefined) { for (const [k, v] of map) out[k] = structuredClone(v); return out; }
    const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys as object);
    for (const k of list as string[]) if (map.has(k)) out[k] = structuredClone(map.get(k));
    return out;
  };
  return {
    map,
    async get(keys?: unknown) { return pick(keys); },
    async set(items: Record<string, unknown>) { for (const [k, v] of Object.entries(items)) map.set(k, structuredClone(v)); },
    async remove(keys: string | string[]) { for (const k of typeof keys === 'string' ? [keys] : keys) map.delete(k); },
    async clear() { map.clear(); },
    async getBytesInUse() { return JSON.stringify([...map]).length; },
    async setAccessLevel() {},
    QUOTA_BYTES: 10 * 1024 * 1024,
  };
}

export interface FakeSender { id?: string; url?: string; origin?: string; frameId?: number; tab?: { id: number; windowId: number; url?: string } }

/** A runtime port as the background sees one: the sender is the browser's word. */
export function fakePort(name: string, sender: FakeSender) {
  const onMessage = event<(m: unknown) => void>();
  const onDisconnect = event<() => void>();
  const port = {
    name, sender, onMessage, onDisconnect,
    posted: [] as unknown[],
    disconnected: false,
    // Chrome sends port messages as JSON: what the bridge would receive.
    postMessage(m: unknown) { if (port.disconnected) throw new Error('Attempting to use a disconnected port object'); port.posted.push(JSON.parse(JSON.stringify(m))); },
    disconnect() { port.disconnected = true; },
    /** The page side sends `m`. */
    send(m: unknown) { for (const l of [...onMessage.listeners]) l(m as never); },
    /** The page side goes away. */
    close() { if (port.disconnected) return; port.disconnected = true; for (const l of [...onDisconnect.listeners]) l(); },
  };
  return port;
}

export function fakeBrowser(id = 'latchkeyfuzzextensionid') {
  let nextWindow = 100;
  const windows = new Set<number>();
  const b = {
    runtime: {
      id,
      getURL: (p: string) => `chrome-extension://${id}/${p.replace(/^\//, '')}`,
      getManifest: () => ({ manifest_version: 3, version: '0.0.0' }),
      onConnect: event(),
      onMessage: event<(m: unknown, s: FakeSender) => unknown>(),
      async sendMessage() { return undefined; },
      async openOptionsPage() {},
    },
    storage: { session: area(), local: area(), onChanged: event() },
    alarms: { create() {}, async clear() { return true; }, onAlarm: event() },
    windows: {
      open: windows,
      async create() { const w = nextWindow++; windows.add(w); return { id: w, left: 0, top: 0, width: 400, height: 600 }; },
      async update(w: number) { return { id: w }; },
      async remove(w: number) { windows.delete(w); },
      async get(w: number) { return { id: w, left: 0, top: 0, width: 1200, height: 800, focused: true }; },
      onRemoved: event(),
    },
    tabs: {
      async update(t: number) { return { id: t }; },
      async get(t: number) { return { id: t, windowId: 1 }; },
      async sendMessage() { throw new Error('Could not establish connection. Receiving end does not exist.'); },
    },
    scripting: { async executeScript() { return []; } },
  };
  return b;
}
