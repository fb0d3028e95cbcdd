// The ceremony window: "where to save your passkey" and "which passkey to sign in with".
// It knows only names, ids and dates; every decision is the background's.
import { ceremonyId, describing } from './describe'; // first: its message leaves before the rest loads
import { render } from 'preact';
import { keepBackgroundAwake } from './api';
import { App } from './App';
import { installArming } from './arming';
import type { CeremonyView } from '../src/messages/protocol';
import { translateStatic } from '../ui/i18n';

// The markup's "Loading…" and lang, in the person's language while the answer is on its way.
translateStatic();

// One render, with the answer: until then the markup's "Loading…" shows (popup/ceremony.html).
// The keep-awake port opens after it: its connection would otherwise queue beside the answer.
const show = (view: CeremonyView | null) => {
  installArming();
  render(<App id={ceremonyId} view={view} />, document.getElementById('app')!);
  // Preact has committed: the screen's buttons work from here. A User Timing mark (it stays in this
  // window) lets bench/window*.bench.ts measure the call-to-interactive budget in both browsers.
  performance.mark('latchkey:interactive');
  keepBackgroundAwake();
};
describing.then(show, () => show(null));
