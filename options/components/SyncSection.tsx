import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { browser } from '../../src/browser.cjs';
import { originPattern, type SyncStatus } from '../../src/messages/sync';
import { messageOf } from '../api';
import { sync } from '../syncApi';

/** "Sync": off -> turn on (first device) or join (another device); on -> status, Sync now, pairing words. */
export function SyncSection() {
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [folderUrl, setFolderUrl] = useState('');
  const [userName, setUserName] = useState('');
  const [appPassword, setAppPassword] = useState('');
  const [joinWords, setJoinWords] = useState('');
  const [words, setWords] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const refresh = () => sync({ type: 'sync/status' }).then(setStatus, (e) => setError(messageOf(e)));
  useEffect(() => {
    void refresh();
    // The status changes in the background (runs on change, on an alarm): read it again while shown.
    const t = setInterval(() => { if (document.visibilityState === 'visible') void refresh(); }, 1000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => {
    if (status?.enabled && !words) sync({ type: 'sync/pairing' }).then((r) => setWords(r.words), () => {});
    if (status && !status.enabled) setWords('');
  }, [status?.enabled]);

  /** Asks for the server's one origin (optional host permission) first: a click must lead to the request. */
  const withPermission = (work: () => Promise<void>) => {
    setError('');
    let pattern: string;
    try { pattern = originPattern(folderUrl.trim()); } catch { setError('Enter the full address of the WebDAV folder, starting with https://'); return; }
    setBusy(true);
    browser.permissions.request({ origins: [pattern] })
      .then(async (granted) => {
        if (!granted) throw new Error(`Sync needs your permission to reach ${new URL(folderUrl.trim()).origin}, and only that server.`);
        await work();
      })
      .catch((e) => setError(messageOf(e)))
      .finally(() => { setBusy(false); void refresh(); });
  };
  const turnOn = (e: Event) => {
    e.preventDefault();
    withPermission(async () => {
      const r = await sync({ type: 'sync/enable', folderUrl, userName, appPassword });
      setWords(r.words);
      setAppPassword('');
    });
  };
  const joinNow = () => withPermission(async () => {
    await sync({ type: 'sync/join', folderUrl, userName, appPassword, words: joinWords });
    setAppPassword(''); setJoinWords('');
  });
  const act = (work: () => Promise<unknown>) => {
    setError(''); setBusy(true);
    work().catch((e) => setError(messageOf(e))).finally(() => { setBusy(false); void refresh(); });
  };

  const line = !status ? 'Loading…' : status.message;
  const last = status?.lastSyncAt ? `Last sync: ${new Date(status.lastSyncAt).toLocaleString()}.` : '';
  const failed = status?.state === 'error';
  return (
    <section id="sync" aria-labelledby="sync-h" class="card">
      <div class="section-head">
        <h2 id="sync-h">Sync</h2>
      </div>
      <div class="messages">
        <p role="status" class="status" data-testid="sync-status">{failed ? '' : line}{last && !failed ? ` ${last}` : ''}</p>
        {failed || error ? <p role="alert" class="alert">{error || line}{failed && last ? ` ${last}` : ''}</p> : null}
      </div>
      {status?.progress ? <progress max={status.progress.total} value={status.progress.done} aria-label="Sync progress" /> : null}
      {status && !status.enabled ? (
        <form onSubmit={turnOn}>
          <p class="muted hint">
            Keep your passkeys on all your devices through a WebDAV folder you already have (Nextcloud, a NAS…).
            Everything is encrypted on this device first: the server sees only sealed files.
          </p>
          <div class="field"><label for="sync-url">Server URL</label>
            <input id="sync-url" type="url" placeholder="https://cloud.example/remote.php/dav/files/you/Latchkey/" value={folderUrl} onInput={(e) => setFolderUrl(e.currentTarget.value)} required /></div>
          <div class="field"><label for="sync-user">User name</label>
            <input id="sync-user" type="text" autocomplete="username" value={userName} onInput={(e) => setUserName(e.currentTarget.value)} required /></div>
          <div class="field"><label for="sync-pw">App password</label>
            <input id="sync-pw" type="password" autocomplete="off" value={appPassword} onInput={(e) => setAppPassword(e.currentTarget.value)} required /></div>
          <div><button type="submit" class="primary" disabled={busy}>Turn on sync</button></div>
          <p class="muted hint">On another device of yours? Enter the pairing words its Sync section shows, then Join.</p>
          <div class="field"><label for="sync-words">Pairing words</label>
            <textarea id="sync-words" rows={2} value={joinWords} onInput={(e) => setJoinWords(e.currentTarget.value)} /></div>
          <div><button type="button" disabled={busy} onClick={joinNow}>Join</button></div>
        </form>
      ) : null}
      {status?.enabled ? (
        <div>
          <p class="muted">Syncing with {status.folderUrl} as {status.userName}.</p>
          <div><button type="button" class="primary" disabled={busy} onClick={() => act(() => sync({ type: 'sync/now' }))}>Sync now</button></div>
          <div class="field"><label for="sync-pairing">Pairing words</label>
            <textarea id="sync-pairing" rows={2} readOnly value={words} /></div>
          {words ? <img class="qr" width={160} height={160} alt="QR code of the pairing words" src={`data:image/svg+xml,${encodeURIComponent(renderSVG(words))}`} /> : null}
          <p class="muted hint">
            To add another device: on it, open Manage Latchkey, unlock it with its PIN, and enter the same server, user name
            and app password with these words. Keep them like a password.
          </p>
          <div><button type="button" disabled={busy} onClick={() => act(() => sync({ type: 'sync/disable' }))}>Turn off sync</button></div>
        </div>
      ) : null}
    </section>
  );
}
