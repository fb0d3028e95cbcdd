// The page side's calls in flight to Latchkey (main-world.ts): each gets a random id, its envelope
// goes to content/bridge with window.postMessage, and the bridge's answer for that id comes back
// the same way. One place keeps the calls and their aborts, for a modal create()/get(), passkey
// autofill (a conditional get()) and the signal methods alike:
//   - only the first answer for an id is taken, and only from this window (the bridge);
//   - an abort of the call's AbortSignal (§5.1.3 step 21, §5.1.4.1) forgets the call, tells the
//     bridge (so the background ends the ceremony and closes its window), then rejects with the
//     signal's reason;
//   - a call the page side ends itself (autofill: the browser's own offer answered first) is
//     forgotten and the bridge told, without an abort reason.
// Runs in the page's world: everything it uses is captured by main-world.ts at load and passed in.
import { PAGE_CHANNEL, type BridgeToPage, type CeremonyResult, type PageToBridge } from '../messages/protocol';

/** What a call sends: a ceremony request or a signal (its envelope's channel, direction and id are added here). */
type CallBody =
  | { kind: 'request'; request: Extract<PageToBridge, { kind: 'request' }>['request'] }
  | { kind: 'signal'; signal: Extract<PageToBridge, { kind: 'signal' }>['signal'] };

export interface PendingCall {
  /** Ends the call from the page's side: forgotten here, and the bridge is told to abort it. */
  end(): void;
}

/**
 * @param post sends to this same window (only the bridge and the page itself see it)
 * @param listen adds a 'message' listener to this window, in the capture phase (main-world.ts)
 * @param self this window: answers from any other source are not the bridge's
 * @param hide stops the event from reaching any other listener (the browser's own
 *   stopImmediatePropagation, taken at load)
 *
 * The answers' listener is added now, when main-world runs at document_start, before any page
 * script: it is the first listener of every message event on this window, and it hides each of
 * Latchkey's answers from the page's listeners (and window.onmessage). A "handover" arriving at
 * once, with no window, would otherwise tell the page that Latchkey holds no passkey for it
 * (issue 15, docs/security/page-and-window.md).
 */
export function createPendingCalls(
  post: (msg: PageToBridge) => void,
  listen: (onMessage: (e: MessageEvent) => void) => void,
  self: unknown,
  hide: (e: MessageEvent) => void = () => {},
) {
  const pending = new Map<string, (r: CeremonyResult) => void>();
  listen((e) => {
    if (e.source !== self) return;
    const d = e.data as BridgeToPage | undefined;
    if (!d || d.channel !== PAGE_CHANNEL || d.dir !== 'to-page') return;
    hide(e);
    const answer = pending.get(d.id);
    if (answer) {
      pending.delete(d.id);
      answer(d.result);
    }
  });

  function send(msg: PageToBridge): void {
    post(msg);
  }

  /**
   * Sends one call and passes its answer to `onAnswer`, which says whether the call is over (true)
   * or goes on (false: autofill's "nothing to offer here" leaves the browser's own offer running,
   * still abortable). While it goes on, an abort of `signal` ends it and calls `onAbort(reason)`.
   */
  function start(body: CallBody, signal: AbortSignal | undefined, onAnswer: (r: CeremonyResult) => boolean, onAbort: (reason: unknown) => void): PendingCall {
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    const id = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    let over = false;
    const stop = () => {
      over = true;
      signal?.removeEventListener('abort', aborted);
    };
    const end = () => {
      if (over) return;
      stop();
      pending.delete(id);
      send({ channel: PAGE_CHANNEL, dir: 'to-bridge', kind: 'abort', id });
    };
    const aborted = () => {
      end();
      onAbort(signal!.reason);
    };
    pending.set(id, (r) => {
      if (onAnswer(r)) stop();
    });
    signal?.addEventListener('abort', aborted, { once: true });
    send({ channel: PAGE_CHANNEL, dir: 'to-bridge', id, ...body } as PageToBridge);
    return { end };
  }

  return { start };
}
