// The messaging floor of an extension in Chromium, by transport: a throwaway extension (written to a
// temporary directory) whose MAIN-world script posts a get()-sized request to its isolated-world
// bridge, which carries it to the service worker and back by one of: a new runtime port per request
// (runtime.connect, Latchkey's transport before), one port kept open per frame (Latchkey's now),
// runtime.sendMessage; and the page-to-bridge hop by window.postMessage or by a MessageChannel
// handed over once. The worker answers at once: no Latchkey code, only the messaging. Interleaved,
// 80 rounds of every kind after 2 warm-up each.
//   node --import tsx bench/transport.bench.ts   [ROUNDS=80]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium } from '../e2e/lib/chromium';
import { f, startServer, stats, table, writeResults } from './lib';

const ROUNDS = Number(process.env.ROUNDS ?? 80);
const FILES: Record<string, string> = {
  "manifest.json": "{ \"manifest_version\": 3, \"name\": \"msgbench\", \"version\": \"1\",\n  \"background\": { \"service_worker\": \"bg.js\" },\n  \"host_permissions\": [\"http://localhost/*\"],\n  \"content_scripts\": [\n    { \"matches\": [\"http://localhost/*\"], \"js\": [\"main.js\"], \"run_at\": \"document_start\", \"world\": \"MAIN\" },\n    { \"matches\": [\"http://localhost/*\"], \"js\": [\"bridge.js\"], \"run_at\": \"document_start\" } ] }\n",
  "bg.js": "chrome.runtime.onConnect.addListener((port) => {\n  port.onMessage.addListener((m) => { port.postMessage({ id: m.id, kind: 'result', result: { status: 'error', payload: m.payload } }); });\n});\nchrome.runtime.onMessage.addListener((m, s, send) => { send({ id: m.id, kind: 'result', result: { status: 'error', payload: m.payload } }); });\n",
  "bridge.js": "let persistent = null;\nconst waiting = new Map();\nfunction viaPersistent(d, reply) {\n  if (!persistent) { persistent = chrome.runtime.connect({ name: 'p' }); persistent.onMessage.addListener((m) => { const r = waiting.get(m.id); waiting.delete(m.id); r && r(m); }); }\n  waiting.set(d.id, reply); persistent.postMessage({ id: d.id, payload: d.payload });\n}\nfunction viaConnect(d, reply) {\n  const port = chrome.runtime.connect({ name: 'c' });\n  port.onMessage.addListener((m) => { reply(m); port.disconnect(); });\n  port.postMessage({ id: d.id, payload: d.payload });\n}\nfunction viaSend(d, reply) { chrome.runtime.sendMessage({ id: d.id, payload: d.payload }).then(reply); }\nfunction viaNone(d, reply) { reply({ id: d.id }); }\nconst how = { persistent: viaPersistent, connect: viaConnect, send: viaSend, none: viaNone };\nwindow.addEventListener('message', (e) => {\n  if (e.source !== window) return;\n  const d = e.data;\n  if (!d || d.ch !== 'mb' || d.dir !== 'to-bridge') return;\n  if (d.kind === 'mc') { // hand-over of a MessageChannel port\n    const p = e.ports[0];\n    p.onmessage = (ev) => { const x = ev.data; how[x.how](x, (m) => p.postMessage({ id: x.id, m })); };\n    return;\n  }\n  how[d.how](d, (m) => window.postMessage({ ch: 'mb', dir: 'to-page', id: d.id, m }, '*'));\n});\n",
  "main.js": "(() => {\n  const pend = new Map(); let n = 0;\n  window.addEventListener('message', (e) => { if (e.source !== window) return; const d = e.data; if (!d || d.ch !== 'mb' || d.dir !== 'to-page') return; const r = pend.get(d.id); pend.delete(d.id); r && r(d); });\n  let mc = null;\n  window.__mb = (how, payload, useMc) => new Promise((res) => {\n    const id = 'x' + (n++); pend.set(id, res);\n    if (useMc) {\n      if (!mc) { const ch = new MessageChannel(); mc = ch.port1; mc.onmessage = (e) => { const r = pend.get(e.data.id); pend.delete(e.data.id); r && r(e.data); }; window.postMessage({ ch: 'mb', dir: 'to-bridge', kind: 'mc' }, '*', [ch.port2]); }\n      mc.postMessage({ how, id, payload });\n    } else window.postMessage({ ch: 'mb', dir: 'to-bridge', how, id, payload }, '*');\n  });\n})();\n"
};

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-transport-'));
for (const [name, body] of Object.entries(FILES)) writeFileSync(join(dir, name), body);
const srv = await startServer();
const b = await launchChromium({ extensionDir: dir });
try {
  const page = await b.context.newPage();
  await page.goto(srv.url);
  await page.waitForFunction('!!window.__mb');
  const r = (await page.evaluate(`(async (rounds) => {
    const payload = { op: 'get', options: { challenge: 'x'.repeat(43), rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: 'y'.repeat(22) }], userVerification: 'preferred', timeout: 60000 } };
    const kinds = [['none', false], ['none', true], ['connect', false], ['persistent', false], ['send', false], ['persistent', true], ['send', true]];
    const out = {};
    for (const [h, mc] of kinds) { out[h + (mc ? '+mc' : '')] = []; await window.__mb(h, payload, mc); await window.__mb(h, payload, mc); }
    for (let i = 0; i < rounds; i++) for (const [h, mc] of kinds) { const t = performance.now(); await window.__mb(h, payload, mc); out[h + (mc ? '+mc' : '')].push(performance.now() - t); await new Promise((r) => setTimeout(r, 2)); }
    return out;
  })(${ROUNDS})`)) as Record<string, number[]>;
  const names: Record<string, string> = {
    'none': 'page → bridge → page (window.postMessage), no background',
    'none+mc': 'page → bridge → page (MessageChannel), no background',
    'connect': 'new runtime port per request (runtime.connect)',
    'persistent': 'one open port per frame',
    'send': 'runtime.sendMessage',
    'persistent+mc': 'one open port per frame, MessageChannel page hop',
    'send+mc': 'runtime.sendMessage, MessageChannel page hop',
  };
  console.log(`Round trip page → service worker → page (ms, ${ROUNDS} each, interleaved)`);
  const md = table(['transport', 'median', 'p10', 'p90'], Object.entries(r).map(([k, v]) => { const s = stats(v); return [names[k] ?? k, f(s.median), f(s.p10), f(s.p90)]; }));
  writeResults('transport', { method: { rounds: ROUNDS }, stats: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, stats(v)])), raw: r, markdown: md });
} finally {
  await b.close();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
