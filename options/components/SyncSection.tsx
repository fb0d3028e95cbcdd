import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { browser } from '../../src/browser.cjs';
import { originPattern, type SyncStatus } from '../../src/messages/sync';
import { messageOf } from '../api';
import { sync } from '../syncApi';
import { t, uiLocale } from '../../ui/i18n';

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
    try { pattern = originPattern(folderUrl.trim()); } catch { setError(t('syncEnterUrl')); return; }
    setBusy(true);
    browser.permissions.request({ origins: [pattern] })
      .then(async (granted) => {
        if (!granted) throw new Error(t('syncNeedsPermission', new URL(folderUrl.trim()).origin));
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

  const line = !status ? t('loading') : status.message;
  const last = status?.lastSyncAt ? t('lastSync', new Date(status.lastSyncAt).toLocaleString(uiLocale())) : '';
  const failed = status?.state === 'error';
  return (
    <section id="sync" aria-labelledby="sync-h" class="card">
      <div class="section-head">
        <h2 id="sync-h">{t('sync')}</h2>
      </div>
      <div class="messages">
        <p role="status" class="status" data-testid="sync-status">{failed ? '' : line}{last && !failed ? ` ${last}` : ''}</p>
        {failed || error ? <p role="alert" class="alert">{error || line}{failed && last ? ` ${last}` : ''}</p> : null}
      </div>
      {status?.progress ? <progress max={status.progress.total} value={status.progress.done} aria-label={t('syncProgress')} /> : null}
      {status && !status.enabled ? (
        <form onSubmit={turnOn}>
          <p class="muted hint">
            {t('syncIntro')}
          </p>
          <div class="field"><label for="sync-url">{t('serverUrl')}</label>
            <input id="sync-url" type="url" placeholder="https://cloud.example/remote.php/dav/files/you/Latchkey/" value={folderUrl} onInput={(e) => setFolderUrl(e.currentTarget.value)} required /></div>
          <div class="field"><label for="sync-user">{t('userName')}</label>
            <input id="sync-user" type="text" autocomplete="username" value={userName} onInput={(e) => setUserName(e.currentTarget.value)} required /></div>
          <div class="field"><label for="sync-pw">{t('appPassword')}</label>
            <input id="sync-pw" type="password" autocomplete="off" value={appPassword} onInput={(e) => setAppPassword(e.currentTarget.value)} required /></div>
          <div><button type="submit" class="primary" disabled={busy}>{t('turnOnSync')}</button></div>
          <p class="muted hint">{t('joinHint')}</p>
          <div class="field"><label for="sync-words">{t('pairingWords')}</label>
            <textarea id="sync-words" rows={2} value={joinWords} onInput={(e) => setJoinWords(e.currentTarget.value)} /></div>
          <div><button type="button" disabled={busy} onClick={joinNow}>{t('join')}</button></div>
        </form>
      ) : null}
      {status?.enabled ? (
        <div>
          <p class="muted">{t('syncingWith', status.folderUrl ?? '', status.userName ?? '')}</p>
          <div><button type="button" class="primary" disabled={busy} onClick={() => act(() => sync({ type: 'sync/now' }))}>{t('syncNow')}</button></div>
          <div class="field"><label for="sync-pairing">{t('pairingWords')}</label>
            <textarea id="sync-pairing" rows={2} readOnly value={words} /></div>
          {words ? <img class="qr" width={160} height={160} alt={t('qrAlt')} src={`data:image/svg+xml,${encodeURIComponent(renderSVG(words))}`} /> : null}
          <p class="muted hint">
            {t('addDeviceHint')}
          </p>
          <div><button type="button" disabled={busy} onClick={() => act(() => sync({ type: 'sync/disable' }))}>{t('turnOffSync')}</button></div>
        </div>
      ) : null}
    </section>
  );
}
