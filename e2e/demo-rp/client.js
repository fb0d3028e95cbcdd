// The demo relying party's page script: plain JS, served as-is (no bundler, no imports).
// It converts the server's JSON options to what navigator.credentials expects and the results
// back to JSON by hand, on purpose: PublicKeyCredential.parseCreationOptionsFromJSON and toJSON()
// are not in every browser, and an extension replacing navigator.credentials may not provide them.
// biome-ignore lint/suspicious/noRedundantUseStrict: a classic script (<script src>, not a module), so strict mode is not implied
'use strict';

const CEREMONY_TIMEOUT_MS = 60_000;
const $ = (id) => document.getElementById(id);

// --- messages -------------------------------------------------------------------------------

function setStatus(text) {
  $('status').textContent = text;
  $('status').hidden = !text;
  if (text) setError('');
}

function setError(text) {
  $('error').textContent = text;
  $('error').hidden = !text;
  if (text) { $('status').textContent = ''; $('status').hidden = true; }
}

/** An error message from our own server (shown as is, without an exception name). */
class ServerError extends Error {}

/** "NotAllowedError: ..." for DOMExceptions and TypeErrors, the text itself for server errors. */
function describeError(e) {
  if (e instanceof ServerError) return e.message;
  if (e && typeof e === 'object' && 'name' in e) return `${e.name}: ${e.message}`;
  return `Error: ${String(e)}`;
}

// --- encoding -------------------------------------------------------------------------------

function toBuffer(b64url) {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(b64url.length / 4) * 4, '=');
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes.buffer;
}

function toBase64url(buf) {
  const bytes = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Extension outputs may hold binary data (prf, largeBlob): encode it instead of losing it. */
function jsonValue(v) {
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return toBase64url(v);
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)]));
  return v;
}

function creationOptions(json) {
  return {
    ...json,
    challenge: toBuffer(json.challenge),
    user: { ...json.user, id: toBuffer(json.user.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ ...c, id: toBuffer(c.id) })),
  };
}

function requestOptions(json) {
  return {
    ...json,
    challenge: toBuffer(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((c) => ({ ...c, id: toBuffer(c.id) })),
  };
}

function optional(fn) {
  // The getters below are Level 2/3 additions; a missing one or one that throws is left out.
  try { return fn(); } catch { return undefined; }
}

function registrationJSON(cred) {
  const r = cred.response;
  const publicKey = optional(() => r.getPublicKey?.());
  const authenticatorData = optional(() => r.getAuthenticatorData?.());
  return {
    id: cred.id,
    rawId: toBase64url(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: jsonValue(cred.getClientExtensionResults?.() ?? {}),
    response: {
      clientDataJSON: toBase64url(r.clientDataJSON),
      attestationObject: toBase64url(r.attestationObject),
      transports: optional(() => r.getTransports?.()) ?? [],
      authenticatorData: authenticatorData ? toBase64url(authenticatorData) : undefined,
      publicKey: publicKey ? toBase64url(publicKey) : undefined,
      publicKeyAlgorithm: optional(() => r.getPublicKeyAlgorithm?.()),
    },
  };
}

function assertionJSON(cred) {
  const r = cred.response;
  return {
    id: cred.id,
    rawId: toBase64url(cred.rawId),
    type: cred.type,
    authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
    clientExtensionResults: jsonValue(cred.getClientExtensionResults?.() ?? {}),
    response: {
      clientDataJSON: toBase64url(r.clientDataJSON),
      authenticatorData: toBase64url(r.authenticatorData),
      signature: toBase64url(r.signature),
      userHandle: r.userHandle ? toBase64url(r.userHandle) : undefined,
    },
  };
}

// --- server and ceremonies ------------------------------------------------------------------

async function api(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new ServerError(data.error ?? `The server answered ${res.status}`);
  return data;
}

/**
 * Runs one navigator.credentials call with a 60 s limit. The signal asks the browser to stop; the
 * race makes sure the page shows an error even if whatever answers the call ignores the signal.
 */
function ceremony(start) {
  const controller = new AbortController();
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      const err = new DOMException(`No answer within ${CEREMONY_TIMEOUT_MS / 1000} s`, 'TimeoutError');
      controller.abort(err);
      reject(err);
    }, CEREMONY_TIMEOUT_MS);
  });
  return Promise.race([start(controller.signal), timeout]).finally(() => clearTimeout(timer));
}

/** A default name such as "Passkey (Chromium on Linux)". */
function suggestedName() {
  const ua = navigator.userAgent;
  const brands = (navigator.userAgentData?.brands ?? []).map((b) => b.brand)
    .filter((b) => !/not.a.brand/i.test(b));
  let browser = brands.find((b) => b !== 'Chromium' && !/^Headless/.test(b))
    ?? (brands.length ? 'Chromium' : undefined);
  if (!browser) {
    browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge'
      : /Chrom(e|ium)\//.test(ua) ? 'Chromium' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  }
  let os = navigator.userAgentData?.platform;
  if (!os) {
    os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows'
      : /Mac OS X/.test(ua) ? 'macOS' : /Linux|X11/.test(ua) ? 'Linux' : 'this device';
  }
  return `Passkey (${browser} on ${os})`;
}

/** Disables a button while its action runs, so a double click does not start two ceremonies. */
function onClick(id, action) {
  $(id).addEventListener('click', async () => {
    $(id).disabled = true;
    try { await action(); } catch (e) { setError(describeError(e)); } finally { $(id).disabled = false; }
  });
}

// --- pages ----------------------------------------------------------------------------------

function signInPage() {
  $('password-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      setStatus('Signing in…');
      await api('/api/login', { email: $('email').value, password: $('password').value });
      location.assign('/security-info');
    } catch (e) {
      setError(describeError(e));
    }
  });

  const showOptions = (on) => {
    $('password-form').hidden = on;
    $('show-options').hidden = on;
    $('show-options').setAttribute('aria-expanded', String(on));
    $('sign-in-options').hidden = !on;
  };
  $('show-options').addEventListener('click', () => { showOptions(true); $('passkey-sign-in').focus(); });
  $('options-back').addEventListener('click', () => { showOptions(false); setStatus(''); setError(''); });

  // Passkey autofill, as real sites do: from page load, the email field (autocomplete "username
  // webauthn") offers the passkeys; picking one signs in. The button below ends it first: one WebAuthn
  // request at a time, and its options fetch must land before the button's (one challenge per session).
  // Only on /?autofill: the seed-flow suites drive the password and button sign-ins on this page, and
  // the browser's own autofill (a DevTools virtual security key answers conditional requests at once)
  // would sign them in first.
  const autofill = { controller: new AbortController(), options: null };
  async function startAutofill() {
    const P = window.PublicKeyCredential;
    if (!new URLSearchParams(location.search).has('autofill')) return;
    if (!P || typeof P.isConditionalMediationAvailable !== 'function' || !(await P.isConditionalMediationAvailable())) return;
    const { signal } = autofill.controller;
    if (signal.aborted) return;
    autofill.options = api('/api/login/options');
    try {
      const cred = await navigator.credentials.get({ mediation: 'conditional', publicKey: requestOptions(await autofill.options), signal });
      setStatus('Checking your passkey…');
      await api('/api/login/verify', { credential: assertionJSON(cred) });
      location.assign('/security-info');
    } catch (e) {
      if (!signal.aborted) setError(describeError(e));
    }
  }
  void startAutofill();

  onClick('passkey-sign-in', async () => {
    autofill.controller.abort();
    await Promise.resolve(autofill.options).catch(() => {});
    setStatus('Waiting for your passkey…');
    const options = await api('/api/login/options');
    const cred = await ceremony((signal) =>
      navigator.credentials.get({ publicKey: requestOptions(options), signal }));
    setStatus('Checking your passkey…');
    await api('/api/login/verify', { credential: assertionJSON(cred) });
    location.assign('/security-info');
  });
}

function securityInfoPage() {
  const steps = ['step-choose', 'step-explain', 'step-name'];
  const showStep = (step) => {
    $('add-method-dialog').hidden = !step;
    for (const s of steps) $(s).hidden = s !== step;
  };
  let newPasskeyId = null;

  $('add-method').addEventListener('click', () => { setError(''); showStep('step-choose'); $('choose-passkey').focus(); });
  $('choose-cancel').addEventListener('click', () => showStep(null));
  $('choose-passkey').addEventListener('click', () => { showStep('step-explain'); $('passkey-next').focus(); });
  $('passkey-back').addEventListener('click', () => showStep('step-choose'));

  onClick('passkey-next', async () => {
    setStatus('Waiting for your passkey…');
    const options = await api('/api/register/options');
    const cred = await ceremony((signal) =>
      navigator.credentials.create({ publicKey: creationOptions(options), signal }));
    setStatus('Checking your new passkey…');
    const { passkey } = await api('/api/register/verify', { credential: registrationJSON(cred), name: suggestedName() });
    newPasskeyId = passkey.id;
    $('passkey-name').value = passkey.name;
    showStep('step-name');
    setStatus('Passkey saved. Give it a name.');
    $('passkey-name').focus();
    await refreshMethods();
  });

  onClick('passkey-done', async () => {
    const { passkey } = await api('/api/register/name', { id: newPasskeyId, name: $('passkey-name').value });
    await refreshMethods();
    showStep(null);
    setStatus(`Passkey “${passkey.name}” added.`);
  });

  onClick('sign-out', async () => {
    await api('/api/logout');
    location.assign('/');
  });
}

/** Re-reads the list from the server-rendered page, so the HTML is written in one place only. */
async function refreshMethods() {
  const res = await fetch('/security-info', { headers: { accept: 'text/html' } });
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const list = doc.getElementById('methods');
  if (list) $('methods').replaceWith(document.adoptNode(list));
}

if (document.body.dataset.page === 'sign-in') signInPage();
if (document.body.dataset.page === 'security-info') securityInfoPage();
