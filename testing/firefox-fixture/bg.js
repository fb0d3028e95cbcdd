// Event page of the fixture. Answers the content script and the popup page.
const DB = 'fixture-db';

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore('kv');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function idbPut(key, value) {
  const db = await openDb();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('kv', 'readwrite', { durability: 'strict' });
    tx.objectStore('kv').put(value, key);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

async function idbGet(key) {
  const db = await openDb();
  const value = await new Promise((resolve, reject) => {
    const req = db.transaction('kv').objectStore('kv').get(key);
    req.onsuccess = () => resolve(req.result ?? null);
    req.onerror = () => reject(req.error);
  });
  db.close();
  return value;
}

browser.runtime.onMessage.addListener(async (msg, sender) => {
  switch (msg.type) {
    case 'ping':
      return { pong: true, origin: location.origin };
    case 'open': {
      const w = await browser.windows.create({ url: 'page.html', type: 'popup', width: 420, height: 360 });
      return { windowId: w.id };
    }
    case 'clicked': {
      // From page.html: remember the click, then close the popup like a finished ceremony.
      const { clicks = [] } = await browser.storage.session.get('clicks');
      clicks.push({ isTrusted: msg.isTrusted, at: Date.now() });
      await browser.storage.session.set({ clicks });
      if (msg.close && sender.tab) setTimeout(() => browser.windows.remove(sender.tab.windowId), 50);
      return { count: clicks.length };
    }
    case 'clicks': {
      const { clicks = [] } = await browser.storage.session.get('clicks');
      return { clicks };
    }
    case 'write':
      await idbPut('marker', msg.value);
      await browser.storage.local.set({ marker: msg.value });
      return { written: msg.value };
    case 'read':
      return { idb: await idbGet('marker'), local: (await browser.storage.local.get('marker')).marker ?? null };
    default:
      throw new Error(`unknown action ${msg.type}`);
  }
});
