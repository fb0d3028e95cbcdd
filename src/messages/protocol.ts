// The typed protocol of every boundary, named by direction (as darkreader does):
//   PageToBridge / BridgeToPage: window.postMessage between content/main-world and content/bridge.
//   CStoBG / BGtoCS:             the runtime port ("ceremony") from content/bridge to the background,
//                                each in an envelope naming its request (one port per frame).
//   UItoBG:                      runtime messages from the ceremony window to the background.
// Types only say what an honest sender sends: every receiver re-checks with the guards in validate.ts.
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from './wire';

export const CEREMONY_PORT = 'latchkey-ceremony';
/** The ceremony window pings on this port so the service worker stays awake while it is open. */
export const WINDOW_PORT = 'latchkey-window';
/** Marks Latchkey's window messages; anything else on the window is ignored. */
export const PAGE_CHANNEL = 'latchkey/v1';

/** The bridge's one-off message: the person entered a password in this frame (src/content/passwordEntry.ts). */
export const PASSWORD_ENTERED = 'latchkey/password-entered';

export type CeremonyRequest =
  /** mediation 'conditional': a passkey upgrade (§5.1.3, src/background/passkeyUpgrade.ts); absent for a modal create. */
  | { op: 'create'; options: PublicKeyCredentialCreationOptionsJSON; mediation?: 'conditional' }
  /** mediation 'conditional': passkey autofill (§5.1.4, src/background/conditional.ts); absent for a modal get. */
  | { op: 'get'; options: PublicKeyCredentialRequestOptionsJSON; mediation?: 'conditional' };

/**
 * One call of a WebAuthn L3 signal method (§5.1.10, #sctn-signal-methods), its options as the
 * page gave them once WebIDL-converted (main-world checked base64url; validate.ts checks again).
 */
export type SignalRequest =
  | { op: 'signalUnknownCredential'; options: { rpId: string; credentialId: string } }
  | { op: 'signalAllAcceptedCredentials'; options: { rpId: string; userId: string; allAcceptedCredentialIds: string[] } }
  | { op: 'signalCurrentUserDetails'; options: { rpId: string; userId: string; name: string; displayName: string } };

/** What the background answers to one ceremony. */
export type CeremonyResult =
  | { status: 'created'; credential: RegistrationResponseJSON }
  | { status: 'asserted'; credential: AuthenticationResponseJSON }
  /**
   * The person (or Latchkey itself) hands the request to the browser's own create()/get(). To a
   * signal (§5.1.10) it is the answer to every valid call: Latchkey did its part, the browser's own
   * signal method (where it has one) gets the call too, and the page's promise resolves with undefined.
   */
  | { status: 'handover' }
  /** A DOMException the page must see, by its spec name. */
  | { status: 'error'; name: DOMExceptionName; message: string };

export type DOMExceptionName =
  | 'NotAllowedError'
  | 'InvalidStateError'
  | 'SecurityError'
  | 'NotSupportedError'
  | 'AbortError'
  | 'UnknownError'
  | 'ConstraintError';

// --- main-world <-> bridge (window.postMessage) ---
export type PageToBridge =
  | { channel: typeof PAGE_CHANNEL; dir: 'to-bridge'; kind: 'request'; id: string; request: CeremonyRequest }
  | { channel: typeof PAGE_CHANNEL; dir: 'to-bridge'; kind: 'abort'; id: string }
  | { channel: typeof PAGE_CHANNEL; dir: 'to-bridge'; kind: 'signal'; id: string; signal: SignalRequest };
export type BridgeToPage = { channel: typeof PAGE_CHANNEL; dir: 'to-page'; id: string; result: CeremonyResult };

// --- bridge <-> background (one runtime port per frame, carrying every ceremony of that frame) ---
/**
 * What the bridge's isolated world reads about its own frame when a request arrives
 * (src/content/frameFacts.ts). The page's scripts cannot change what the isolated world sees, so
 * the background may rely on these together with the port's sender (src/background/frames.ts).
 */
export interface FrameFacts {
  /** self.origin: "null" for an opaque origin (a sandboxed frame), which the sender's URL hides in Firefox. */
  origin: string;
  /** location.ancestorOrigins, parent first; null where the browser lacks it. */
  ancestorOrigins: string[] | null;
  /**
   * The browser's own permissions-policy verdict (document.featurePolicy, Chromium); null where not
   * exposed (Firefox). A feature the browser does not know is null: its default allowlist 'self' applies.
   */
  policy: { create: boolean | null; get: boolean | null } | null;
  /** Firefox: runtime.getFrameId(window.parent), to ask the parent frame about its <iframe>; null elsewhere. */
  parentFrameId: number | null;
  /** create only: transient activation (navigator.userActivation.isActive), not yet used by Latchkey. */
  activation: boolean;
}

export type CStoBG =
  | { kind: 'request'; request: CeremonyRequest; facts: FrameFacts }
  | { kind: 'abort' }
  /**
   * A signal method's call (src/background/signals.ts); answered 'handover' or SecurityError.
   * `origin`: self.origin in the bridge's isolated world ("null" in a sandboxed frame, which
   * Firefox's sender.url does not show), as FrameFacts.origin for create/get.
   */
  | { kind: 'signal'; signal: SignalRequest; origin: string }
  /** After the background restarted (ports dropped): reattach to a ceremony still in progress. */
  | { kind: 'resume'; ceremonyId: string };
export type BGtoCS =
  | { kind: 'result'; result: CeremonyResult }
  /** The ceremony's id, which the bridge needs to resume it. */
  | { kind: 'started'; ceremonyId: string };
/**
 * What travels on the port: a CStoBG or BGtoCS message and the bridge's number for its request
 * (a counter of the bridge's own, unique on that port; the page never chooses it).
 */
export type CSEnvelope = { rid: number; msg: CStoBG };
export type BGEnvelope = { rid: number; msg: BGtoCS };

// --- background -> a parent frame's content script (Firefox, tabs.sendMessage with its frameId) ---
export const CONTAINER_QUERY = 'latchkey/container';
/** Which element of yours holds frame `childFrameId`, and what does its `allow` attribute say? */
export interface ContainerQuery { kind: typeof CONTAINER_QUERY; childFrameId: number }
export interface ContainerAnswer {
  /** The asked frame's own origin (self.origin in its isolated world). */
  origin: string;
  /** Its parent's frame id; null at the top. */
  parentFrameId: number | null;
  /** The element holding the child, or null when none of this document's elements does. */
  container: { allow: string | null; declaredOrigin: string } | null;
}

// --- ceremony window -> background ---
export interface AccountView {
  credentialId: string;
  userName: string;
  userDisplayName: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Everything the ceremony window may know: names, ids and dates; never key material. */
export interface CeremonyView {
  id: string;
  op: 'create' | 'get';
  rpId: string;
  origin: string;
  topOrigin: string | null;
  user: { name: string; displayName: string } | null;
  accounts: AccountView[];
  vault: { initialized: boolean; unlocked: boolean };
  /**
   * Which choice gets the focus, from the site's hints (§5.8.7 PublicKeyCredentialHint):
   * "security-key" or "hybrid" first → the browser's dialog; otherwise Latchkey.
   */
  preferred: 'latchkey' | 'browser';
  /**
   * get(): allowCredentials also names passkeys Latchkey does not hold (on a security key or a
   * phone), so the window says the site accepts those too (src/client/transports.ts).
   */
  alsoElsewhere?: boolean;
  /**
   * The passkey was already chosen elsewhere (the autofill offer, src/background/conditional.ts) and
   * only the PIN is missing: the window opens at this step instead of the list.
   */
  start?: 'unlock' | 'set-pin';
}

/** What the window must show next after an action. */
export type StepAnswer =
  | { next: 'done' }
  | { next: 'set-pin'; error?: string }
  | { next: 'unlock'; error?: string; retryAfterMs?: number }
  | { next: 'notice'; message: string }
  | { next: 'error'; message: string }
  /**
   * The passkey is saved and the page has its answer; the window may offer to name it (only that
   * passkey, only for a short while: src/background/namingGrant.ts). `error` when a name was refused.
   */
  | { next: 'saved'; rpId: string; suggestedName: string; error?: string };

export type UItoBG =
  | { type: 'ceremony/describe'; id: string }
  | { type: 'ceremony/save'; id: string }
  | { type: 'ceremony/choose'; id: string; credentialId: string }
  | { type: 'ceremony/set-pin'; id: string; pin: string }
  | { type: 'ceremony/unlock'; id: string; pin: string }
  | { type: 'ceremony/handover'; id: string }
  /** Hand over now, and from now on for this site (the person's "always use the browser" list). */
  | { type: 'ceremony/always-handover'; id: string }
  | { type: 'ceremony/cancel'; id: string }
  /** After "saved": the name for the passkey this ceremony just created ('' keeps the default). */
  | { type: 'ceremony/name'; id: string; label: string };

export interface UItoBGAnswers {
  'ceremony/describe': CeremonyView | null;
  'ceremony/save': StepAnswer;
  'ceremony/choose': StepAnswer;
  'ceremony/set-pin': StepAnswer;
  'ceremony/unlock': StepAnswer;
  'ceremony/handover': StepAnswer;
  'ceremony/always-handover': StepAnswer;
  'ceremony/cancel': StepAnswer;
  'ceremony/name': StepAnswer;
}
