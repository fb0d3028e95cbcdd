import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import type { CeremonyView, StepAnswer } from '../src/messages/protocol';
import { send } from './api';
import { isArmed, onArmedChange } from './arming';
import { CreateChoice } from './screens/CreateChoice';
import { Frame, OtherWays } from './screens/Frame';
import { GetChoice } from './screens/GetChoice';
import { Notice } from './screens/Notice';
import { Saved } from './screens/Saved';
import { SetPin } from './screens/SetPin';
import { Unlock } from './screens/Unlock';
import { t } from '../ui/i18n';

type Screen =
  | { kind: 'ended' }
  | { kind: 'choose' }
  | { kind: 'set-pin'; error?: string }
  | { kind: 'unlock'; error?: string; retryAfterMs?: number; key: number }
  | { kind: 'notice'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'saved'; rpId: string; suggestedName: string; error?: string };

function screenFor(a: StepAnswer): Screen | null {
  switch (a.next) {
    case 'done': return null;
    case 'set-pin': return { kind: 'set-pin', ...(a.error ? { error: a.error } : {}) };
    case 'unlock': return { kind: 'unlock', ...(a.error ? { error: a.error } : {}), ...(a.retryAfterMs ? { retryAfterMs: a.retryAfterMs } : {}), key: Date.now() };
    case 'notice': return { kind: 'notice', message: a.message };
    case 'error': return { kind: 'error', message: a.message };
    case 'saved': return { kind: 'saved', rpId: a.rpId, suggestedName: a.suggestedName, ...(a.error ? { error: a.error } : {}) };
  }
}

/**
 * The browser stopped Latchkey's background while it worked on this step (Chrome's message channel
 * closed, or Firefox's receiving end went away). The ceremony itself is kept in storage.session and
 * the page's request is still waiting (src/background/ceremonies.ts), so Try again is safe.
 */
function unansweredMessage(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  return /channel closed|receiving end does not exist|disconnected/i.test(text)
    ? t('ceremonyUnanswered')
    : t('errorUnreachable', text);
}

function firstScreen(v: CeremonyView | null): Screen {
  return !v ? { kind: 'ended' } : v.start === 'unlock' ? { kind: 'unlock', key: 0 } : v.start === 'set-pin' ? { kind: 'set-pin' } : { kind: 'choose' };
}

/**
 * Rendered once the background has described the ceremony (popup/index.tsx): the first render is
 * already the right screen, with no loading state in between (the page's own markup says
 * "Loading…" until then), which keeps the window's first answer within its time budget.
 */
export function App({ id, view }: { id: string; view: CeremonyView | null }) {
  const [screen, setScreen] = useState<Screen>(() => firstScreen(view));
  const [working, setBusy] = useState(false);
  // The choices wait until the window has been seen (./arming.ts): until then they are disabled,
  // exactly as while a step is being worked on.
  const [armed, setArmed] = useState(isArmed);
  useEffect(() => onArmedChange(setArmed), []);
  const busy = working || !armed;

  // A browser honours autofocus only once per page, and never on a disabled button; so each screen
  // says what takes the focus (autoFocus; the site's hints steer it) and gets it here once the
  // choices are armed, unless something already has it. Nothing is focused and enabled before.
  useLayoutEffect(() => {
    if (busy) return;
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    document.querySelector<HTMLElement>('[autofocus]')?.focus();
  }, [screen, busy]);

  const act = async (p: Promise<StepAnswer>) => {
    setBusy(true);
    try {
      const next = screenFor(await p);
      if (next) setScreen(next); else window.close();
    } catch (e) {
      setScreen({ kind: 'error', message: unansweredMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const handOver = () => act(send({ type: 'ceremony/handover', id }));
  const cancel = () => act(send({ type: 'ceremony/cancel', id }));

  if (screen.kind === 'ended' || !view) {
    return <Notice title={t('ceremonyEndedTitle')} message={t('ceremonyEndedMessage')} busy={busy} onOk={() => window.close()} />;
  }
  switch (screen.kind) {
    case 'choose':
      return view.op === 'create'
        ? <CreateChoice view={view} busy={busy} onSave={() => act(send({ type: 'ceremony/save', id }))} onHandOver={handOver} onCancel={cancel} />
        : <GetChoice view={view} busy={busy} onChoose={(credentialId) => act(send({ type: 'ceremony/choose', id, credentialId }))} onHandOver={handOver} onAlwaysHandOver={() => act(send({ type: 'ceremony/always-handover', id }))} onCancel={cancel} />;
    case 'set-pin':
      return <SetPin busy={busy} error={screen.error} onSetPin={(pin) => act(send({ type: 'ceremony/set-pin', id, pin }))} onHandOver={handOver} onCancel={cancel} />;
    case 'unlock':
      return <Unlock key={screen.key} busy={busy} error={screen.error} retryAfterMs={screen.retryAfterMs} onUnlock={(pin) => act(send({ type: 'ceremony/unlock', id, pin }))} onHandOver={handOver} onCancel={cancel} />;
    case 'saved':
      // The ceremony is over (the page has its passkey): closing the window keeps the suggested name.
      return <Saved rpId={screen.rpId} suggestedName={screen.suggestedName} error={screen.error} busy={working} onSaveName={(label) => act(send({ type: 'ceremony/name', id, label }))} onDone={() => window.close()} />;
    case 'notice':
      return <Notice title={t('ceremonyNothingToSave')} message={screen.message} busy={busy} onOk={() => window.close()} />;
    case 'error':
      return (
        <Frame title={t('ceremonyErrorTitle')}>
          <p role="alert" class="alert">{screen.message}</p>
          <div class="stack">
            <button type="button" class="primary" autoFocus disabled={busy} onClick={() => setScreen({ kind: 'choose' })}>{t('tryAgain')}</button>
            <OtherWays busy={busy} onHandOver={handOver} onCancel={cancel} />
          </div>
        </Frame>
      );
  }
}
