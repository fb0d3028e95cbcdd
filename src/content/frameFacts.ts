// What the bridge tells the background about its own frame, read in the extension's isolated world
// at the moment a request arrives. The page's scripts (the framed document's included) cannot change
// what the isolated world sees: its DOM wrappers and prototypes are its own, and the getters below
// are the browser's. The background combines these facts with the port's sender, which the browser
// fills in, and decides (src/background/frames.ts).
//
// Firefox does not expose document.featurePolicy, so there the background asks each parent frame's
// content script (this module's listener) which element holds the child frame and what its `allow`
// attribute said when the child's document was navigated to (src/client/containerPolicy.ts; the
// notes are taken below, see watchFrames).
import type Browser from 'webextension-polyfill';
import { CONTAINER_QUERY, type ContainerAnswer, type ContainerQuery, type FrameFacts } from '../messages/protocol';
import { originOf } from '../client/containerPolicy';

// Looked up only where needed: touching `chrome.runtime` makes Chromium build the extension API
// bindings of this world, work every page load would otherwise pay (bench/RESULTS.md, bridge.js).
const ext = () => ((globalThis as { browser?: typeof Browser }).browser ?? (globalThis as unknown as { chrome: typeof Browser }).chrome);
// Which browser this build is for (scripts/build.mjs defines it; a constant after minifying). Not
// read from navigator.userAgent: touching `navigator` at load makes the browser build the Navigator
// interface in this world, on every page (bench/RESULTS.md, fourth round).
const isFirefox = process.env.BROWSER === 'firefox';
/** Firefox only (runtime.getFrameId): the extension frame id of a window or of the element holding a frame. */
const getFrameId = isFirefox ? (ext().runtime as { getFrameId?: (target: Window | Element) => number }).getFrameId : undefined;

interface FeaturePolicy { allowsFeature(feature: string): boolean; features(): string[] }

/** The browser's verdict, or null for a feature it does not know (Chromium before 123 had no -create). */
function allows(policy: FeaturePolicy, feature: string): boolean | null {
  return policy.features().includes(feature) ? policy.allowsFeature(feature) : null;
}

// §5.1.3 step 2.3 "Consume user activation": an extension cannot consume the page's activation, so
// Latchkey keeps its own account: one activation serves one cross-origin create. A new
// activation-triggering input event (HTML "activation triggering input event") allows the next.
let activations = 0;
let usedActivation = -1;
// Only a frame below another needs the account: a top-level document is same-origin with all its
// ancestors (it has none), so its create() needs no activation (§5.1.3 step 2).
if (window !== window.top) {
  for (const type of ['keydown', 'mousedown', 'pointerdown', 'pointerup', 'touchend']) {
    addEventListener(type, (e) => { if (e.isTrusted) activations++; }, { capture: true });
  }
}

function takeActivation(): boolean {
  const active = (navigator as { userActivation?: { isActive: boolean } }).userActivation?.isActive === true;
  if (!active || usedActivation === activations) return false;
  usedActivation = activations;
  return true;
}

/** Read when the bridge receives `request` (as the page sent it); only a create takes an activation. */
export function frameFacts(request: unknown): FrameFacts {
  const op = (request as { op?: unknown } | null)?.op;
  const ancestors = location.ancestorOrigins;
  // Chromium's policy object (document.permissionsPolicy is its newer name); Firefox has neither.
  const d = document as { permissionsPolicy?: FeaturePolicy; featurePolicy?: FeaturePolicy };
  const policy = d.permissionsPolicy ?? d.featurePolicy;
  return {
    origin: self.origin,
    ancestorOrigins: ancestors ? Array.from(ancestors) : null,
    policy: policy && typeof policy.allowsFeature === 'function' && typeof policy.features === 'function'
      ? { create: allows(policy, 'publickey-credentials-create'), get: allows(policy, 'publickey-credentials-get') }
      : null,
    parentFrameId: getFrameId && window.parent !== window ? getFrameId(window.parent) : null,
    activation: op === 'create' ? takeActivation() : false,
  };
}

const FRAME_ELEMENTS = new Set(['iframe', 'frame', 'object', 'embed']);

/** The element (in this document or any shadow root, open or closed) whose frame has this id. */
function containerOf(childFrameId: number, getFrameId: (e: Element) => number, root: ParentNode = document): Element | null {
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (FRAME_ELEMENTS.has(el.localName)) {
      try { if (getFrameId(el) === childFrameId) return el; } catch { /* no frame inside */ }
    }
    // Firefox lets content scripts see closed shadow roots too, so a page cannot hide the element there.
    const shadow = (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
    if (shadow) {
      const found = containerOf(childFrameId, getFrameId, shadow);
      if (found) return found;
    }
  }
  return null;
}

// Firefox applies an <iframe>'s `allow` attribute when the frame navigates, not when the attribute
// changes later (Permissions Policy: the container policy is taken when the document is created).
// So a parent that adds allow="publickey-credentials-get *" after its frame loaded has not granted
// anything, and Latchkey must not grant it either (issue 15). The parent's content script (this
// one) notes each frame element's `allow` when a navigation of it starts (the element inserted, its
// src or srcdoc set: a MutationObserver) and when that navigation's document loads (a capture
// listener for `load`), and answers the background with what it noted, never the current value.
// Both notes must agree, since the document was created somewhere between them; when they differ,
// neither feature is granted. An element with no note (its shadow root was attached after it was
// in the page, or Latchkey arrived after the frame loaded) answers as if it had no `allow`: the
// default allowlist 'self', which grants a same-origin frame nothing its parent lacks.
interface AllowNote { seen: (string | null)[]; loaded: boolean }
const allowNotes = new WeakMap<Element, AllowNote>();
const DENY_BOTH = "publickey-credentials-create 'none'; publickey-credentials-get 'none'";

function navigationStarts(el: Element): void {
  allowNotes.set(el, { seen: [el.getAttribute('allow')], loaded: false });
}

function frameLoaded(el: Element): void {
  const note = allowNotes.get(el);
  const allow = el.getAttribute('allow');
  if (note && !note.loaded) { note.seen.push(allow); note.loaded = true; }
  // A load with no navigation noted: the framed document navigated itself, which takes the
  // container policy again, from the attribute as it is now.
  else allowNotes.set(el, { seen: [allow], loaded: true });
}

/** The `allow` this frame's current document was created with, as far as the notes tell. */
function notedAllow(el: Element): string | null {
  const note = allowNotes.get(el);
  if (!note) return null;
  const [first] = note.seen;
  return note.seen.every((a) => a === first) ? first! : DENY_BOTH;
}

function watchFrames(): void {
  const observed = new WeakSet<Node>();
  const onLoad = (e: Event) => {
    const t = e.target;
    if (t instanceof Element && FRAME_ELEMENTS.has(t.localName)) frameLoaded(t);
  };
  const mo = new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') { if (r.target instanceof Element && FRAME_ELEMENTS.has(r.target.localName)) navigationStarts(r.target); }
      else for (const n of Array.from(r.addedNodes)) if (n instanceof Element) scan(n);
    }
  });
  const observe = (root: Document | ShadowRoot) => {
    if (observed.has(root)) return;
    observed.add(root);
    mo.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['src', 'srcdoc', 'data'] });
    root.addEventListener('load', onLoad, true);
  };
  // Frames added to the page, and shadow roots (closed ones too: Firefox shows them to content
  // scripts) already attached to what was added, whose frames the document's observer cannot see.
  function scan(el: Element): void {
    for (const e of [el, ...Array.from(el.querySelectorAll('*'))]) {
      if (FRAME_ELEMENTS.has(e.localName)) navigationStarts(e);
      const shadow = (e as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot;
      if (shadow && !observed.has(shadow)) { observe(shadow); for (const c of Array.from(shadow.children)) scan(c); }
    }
  }
  observe(document);
  if (document.documentElement) scan(document.documentElement);
}

function answer(q: ContainerQuery, getFrameId: (target: Window | Element) => number): ContainerAnswer {
  const el = containerOf(q.childFrameId, getFrameId);
  let container: ContainerAnswer['container'] = null;
  if (el) {
    const iframe = el.localName === 'iframe' ? el : null;
    // 'src' in the attribute: the origin the frame was declared with; srcdoc and no src mean the parent's.
    const src = iframe && !iframe.hasAttribute('srcdoc') ? iframe.getAttribute('src') : null;
    container = {
      allow: iframe ? notedAllow(iframe) : null,
      declaredOrigin: (src ? originOf(src, document.baseURI) : null) ?? self.origin,
    };
  }
  return { origin: self.origin, parentFrameId: window.parent === window ? null : getFrameId(window.parent), container };
}

// Only the extension can reach this listener (tabs.sendMessage from the background); pages cannot.
if (getFrameId) {
  watchFrames();
  ext().runtime.onMessage.addListener((msg: unknown) => {
    const q = msg as ContainerQuery | null;
    if (!q || q.kind !== CONTAINER_QUERY || !Number.isSafeInteger(q.childFrameId)) return undefined;
    return Promise.resolve(answer(q, getFrameId));
  });
}
