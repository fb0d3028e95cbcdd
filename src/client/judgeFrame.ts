// Whether a frame may make this request, and what clientDataJSON says about where it came from.
// Pure: src/background/frames.ts gathers the facts.
//
// WebAuthn L3 and Credential Management 1, for a caller that is not "same-origin with its ancestors"
// (CredMan §"Same-Origin with its Ancestors": every ancestor's origin equals the caller's):
// - CredMan "Create a Credential" / "Request a Credential": a document not allowed to use
//   "publickey-credentials-create" / "publickey-credentials-get" (WebAuthn §5.9, default allowlist
//   'self'; §5.10: cross-origin frames need them in `allow`) gets NotAllowedError.
// - §5.1.3 step 2: create needs transient activation (NotAllowedError without), which it consumes.
// - §5.1.3 / §5.1.4.1 CollectedClientData: crossOrigin is the inverse of sameOriginWithAncestors,
//   topOrigin the caller's top-level origin when it is false (§5.8.1).
// - §5.1.3 step 6 / §5.1.4.1 step 5: an opaque caller origin gets NotAllowedError.
//
// Where each fact comes from (the page, framed documents included, is hostile):
// - the caller's origin, tab and frame id: the port's sender, filled in by the browser;
// - the top-level origin: the tab's URL (sender.tab.url), checked against the last ancestor origin;
// - the ancestors' origins: location.ancestorOrigins read in the frame's isolated world (Chromium),
//   or, in Firefox, each parent frame's isolated world telling its own origin;
// - the permissions policy: Chromium's document.featurePolicy read in the isolated world (the
//   browser's own verdict, headers included); in Firefox, which does not expose it, each parent
//   frame's isolated world reports the `allow` attribute of the element holding the child, and
//   containerPolicy.ts combines them as Firefox does (it ignores the Permissions-Policy header);
// - transient activation: navigator.userActivation in the isolated world (frameFacts.ts).
// No extra permission is needed: webNavigation.getAllFrames would give URLs (not origins: wrong
// for about:blank and sandboxed frames) and costs a "read your browsing history" warning.
import { containerAllows, type WebAuthnFeature } from './containerPolicy';
import type { ContainerAnswer, FrameFacts } from '../messages/protocol';

export type FrameVerdict =
  | { ok: true; crossOrigin: boolean; topOrigin: string }
  | { ok: false; message: string };

export interface FrameInput {
  op: 'create' | 'get';
  /** sender.frameId: 0 for the top frame. */
  frameId: number;
  /** The caller's origin from the sender. */
  origin: string;
  /** The origin of the tab's URL (sender.tab.url); null when unknown. */
  tabOrigin: string | null;
  facts: FrameFacts;
}

/** Firefox: the caller's ancestors, parent first, each with the element that holds the frame below it. */
export type Ancestry = Pick<ContainerAnswer, 'origin' | 'container'>[];

const UNCLEAR = 'Latchkey could not tell where this frame sits in the page.';

/** The decision itself, from facts already gathered (pure, so it can be tested without a browser). */
export function judgeFrame(input: FrameInput, ancestry: Ancestry | null): FrameVerdict {
  const { op, frameId, origin, tabOrigin, facts } = input;
  // §5.1.3 step 6 / §5.1.4.1 step 5; also the browser's sender and the frame itself must agree
  // (Firefox names the sender by URL, which a sandboxed frame's opaque origin does not follow).
  if (origin === 'null' || facts.origin !== origin) return { ok: false, message: 'The caller\'s origin is opaque.' };

  const isTop = frameId === 0;
  const ancestors = isTop ? [] : ancestry ? ancestry.map((a) => a.origin) : facts.ancestorOrigins;
  if (ancestors === null || isTop !== (ancestors.length === 0)) return { ok: false, message: UNCLEAR };
  if (facts.ancestorOrigins !== null && facts.ancestorOrigins.length !== ancestors.length) return { ok: false, message: UNCLEAR };
  let topOrigin = origin;
  if (!isTop) {
    // "null" is an ancestor whose origin the browser masks (an opaque top, or referrerpolicy
    // no-referrer on the way): the tab's URL stands for it. Any other disagreement: a navigation
    // raced the request, and nothing is decided on stale facts.
    const last = ancestors[ancestors.length - 1]!;
    if (tabOrigin === null || (last !== 'null' && last !== tabOrigin)) return { ok: false, message: UNCLEAR };
    topOrigin = tabOrigin;
  }
  const sameOriginWithAncestors = ancestors.every((a) => a === origin);

  const feature: WebAuthnFeature = op === 'create' ? 'publickey-credentials-create' : 'publickey-credentials-get';
  let allowed: boolean;
  if (facts.policy !== null) {
    // A feature the browser does not know keeps its default allowlist 'self' (§5.9), with no way to grant it.
    allowed = facts.policy[op] ?? sameOriginWithAncestors;
  }
  else if (isTop) allowed = true; // Firefox: the top document is 'self' and no header applies
  else if (ancestry !== null) {
    // Permissions Policy "inherited policy": the feature must be allowed by every container on the
    // way down, each for the origin of the document it holds.
    allowed = ancestry.every((a, i) => a.container !== null && containerAllows(
      { allow: a.container.allow, parentOrigin: a.origin, declaredOrigin: a.container.declaredOrigin },
      feature, i === 0 ? origin : ancestry[i - 1]!.origin));
  } else return { ok: false, message: UNCLEAR };
  if (!allowed) return { ok: false, message: `The ${feature} permissions policy does not allow this frame (an <iframe> needs allow="${feature}").` };

  // §5.1.3 step 2.2: a create from a frame not same-origin with its ancestors needs transient activation.
  if (op === 'create' && !sameOriginWithAncestors && !facts.activation) {
    return { ok: false, message: 'A cross-origin frame can create a passkey only right after the person used that frame (transient activation).' };
  }
  return { ok: true, crossOrigin: !sameOriginWithAncestors, topOrigin };
}

/**
 * The caller's origin for a signal method (§5.1.10), which has no frame policy to judge: the
 * sender's origin when the frame's own isolated world agrees (FrameFacts.origin does the same for
 * create/get above). Firefox names the sender by its URL only, and an `<iframe sandbox>` on the site
 * has the site's URL but an opaque origin ("null" as self.origin): it must not pass as the site, to
 * hide its passkeys or rename its accounts (issue 15). null: no origin to check, which
 * src/client/checkSignal.ts refuses with SecurityError (§5.1.10.1 step 1: an opaque origin's
 * effective domain is null, not a valid domain).
 */
export function signalOrigin(fromSender: string | null, selfOrigin: string): string | null {
  if (fromSender === null || fromSender === 'null' || selfOrigin !== fromSender) return null;
  return fromSender;
}
