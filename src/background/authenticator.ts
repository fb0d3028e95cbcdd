// What happens after the person chose in the ceremony window: the PIN steps, then the
// authenticator operations (authenticatorMakeCredential §6.3.2, authenticatorGetAssertion §6.3.3)
// through src/core, with keys from the vault. Returns what the window must show next.
import { fromBase64url, toBase64url } from '../core/base64url';
import { generateES256KeyPairAsync, importES256PrivateKey } from '../core/es256';
import { makeAssertion } from '../core/makeAssertion';
import { makeRegistration } from '../core/makeRegistration';
import { prfNeedsUserVerification, prfResultsForPage } from '../core/prf';
import { chooseAlgorithm } from '../client/chooseAlgorithm';
import { allowedIds } from '../client/transports';
import type { StepAnswer } from '../messages/protocol';
import type { PasskeySummary } from '../vault/vault';
import { grantNaming } from './naming';
import { NAMING_WINDOW_MS, suggestName } from './namingGrant';
import { NOT_ALLOWED, persist, settle, settleError, type Ceremony } from './ceremonies';
import { isPinFresh, onSessionEnd, readSession, startSession, touchSession } from './session';
import { isSyncOn, syncSoon } from './sync';
import { vault } from './vaultInstance';

/**
 * ES256 signing keys already unsealed, as non-extractable WebCrypto keys (they can sign; nothing can
 * read them back), by credential id, while the vault is unlocked: locking forgets them all. Each
 * remembers which sealed key it came from (sealedKeyId), so a passkey deleted and imported again
 * with the same id is never signed for with the old key.
 */
/** Well within the time a stopped-looking worker still runs (Chrome stops it after 30 s idle). */
const LAST_USED_WRITE_DELAY_MS = 1000;

const signingKeys = new Map<string, { sealedKeyId: string; key: CryptoKey }>();

/**
 * Last-used dates waiting to be written, by credential id: one transaction a moment after the first
 * of a burst of sign-ins, instead of one per sign-in (each readwrite transaction is browser-process
 * work that a test suite's next create would otherwise queue behind).
 */
const lastUsed = new Map<string, number>();
let lastUsedTimer: ReturnType<typeof setTimeout> | null = null;
function deferLastUsed(credentialId: string, at: number): void {
  lastUsed.set(credentialId, Math.max(lastUsed.get(credentialId) ?? -Infinity, at));
  if (lastUsedTimer !== null) return;
  lastUsedTimer = setTimeout(() => {
    lastUsedTimer = null;
    const uses = [...lastUsed].map(([id, t]) => ({ credentialId: id, at: t }));
    lastUsed.clear();
    vault().then((v) => v.recordLastUsed(uses)).then(syncSoon, () => {});
  }, LAST_USED_WRITE_DELAY_MS);
}
onSessionEnd(() => signingKeys.clear());

/**
 * One ES256 key pair made ahead of the next create() (key generation is then off the page's wait).
 * Fresh from the platform CSPRNG, tied to nothing until a create takes it; taken at most once (the
 * slot is emptied before the pair is used), and the next one is made after the answer went out.
 */
let readyES256: Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> | null = null;

function takeES256KeyPair(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> {
  const ready = readyES256;
  readyES256 = null;
  return ready ?? generateES256KeyPairAsync();
}

function prepareES256KeyPair(): void {
  if (readyES256) return;
  const next = generateES256KeyPairAsync();
  next.catch(() => { if (readyES256 === next) readyES256 = null; });
  readyES256 = next;
}

/** The passkeys a get() ceremony may offer: this RP's, narrowed to allowCredentials when given. */
export async function candidatesFor(c: Ceremony): Promise<PasskeySummary[]> {
  c.candidates ??= await readCandidates(c);
  return c.candidates;
}

async function readCandidates(c: Ceremony): Promise<PasskeySummary[]> {
  // Hidden passkeys (the site's signals said it no longer accepts them, §5.1.10) are not offered.
  const all = (await (await vault()).listByRpId(c.rpId)).filter((p) => !p.hidden);
  if (c.request.op !== 'get') return all;
  const allow = c.request.options.allowCredentials;
  if (!allow || allow.length === 0) return all;
  // Every listed ID Latchkey holds, whatever its transports hint (§5.8.3, ../client/transports.ts);
  // when none is Latchkey's, requests.ts hands the request over without a window.
  const ids = allowedIds(allow);
  return all.filter((p) => ids.has(p.credentialId));
}

/** The vault key, if unlocked and (when user verification is wanted) the PIN is fresh enough. */
async function usableKey(c: Ceremony): Promise<{ vaultKey: Uint8Array; uv: boolean } | null> {
  const s = await readSession();
  if (!s) return null;
  const fresh = c.pinEnteredHere || (await isPinFresh(s.pinAt));
  // prf (§10.1.4): the one PRF a page sees is the with-UV one, "this overrides the
  // UserVerificationRequirement if necessary": asking for PRF outputs asks for the PIN.
  if ((c.uvWanted || prfNeedsUserVerification(c.request)) && !fresh) return null;
  return { vaultKey: s.vaultKey, uv: fresh };
}

/** Runs the person's choice, or says which PIN step comes first. */
export async function proceed(c: Ceremony): Promise<StepAnswer> {
  const v = await vault();
  if (!(await v.isInitialized())) return { next: 'set-pin' };
  const key = await usableKey(c);
  if (!key) return { next: 'unlock' };
  const pending = c.pending;
  if (!pending) return { next: 'error', message: 'Nothing was chosen.' };
  return pending.kind === 'save' ? save(c, key) : assert(c, pending.credentialId, key);
}

export async function save(c: Ceremony, key: { vaultKey: Uint8Array; uv: boolean }): Promise<StepAnswer> {
  if (c.request.op !== 'create') return { next: 'error', message: 'This is not a registration.' };
  const o = c.request.options;
  const v = await vault();
  // §6.3.2 step 3: a passkey listed in excludeCredentials already lives here. After the person's
  // consent the client returns InvalidStateError (§5.1.3, "excludeCredentials" handling).
  // Hidden passkeys count here too: hiding is "from future authentication ceremonies" (§5.1.10.2-3),
  // the passkey still exists, and a second passkey for the same account would be a duplicate once
  // the site lists the first again.
  const excluded = new Set((o.excludeCredentials ?? []).map((d) => d.id));
  const existing = excluded.size ? await v.listByRpId(c.rpId) : [];
  // A passkey upgrade (conditional create) collects no consent, so no InvalidStateError (§6.3.2
  // step 3 returns it only "if the user consents"): NotAllowedError, as every declined upgrade.
  const upgrade = c.request.mediation === 'conditional';
  if (upgrade && existing.some((p) => excluded.has(p.credentialId))) {
    settleError(c, 'NotAllowedError', NOT_ALLOWED);
    return { next: 'done' };
  }
  if (existing.some((p) => excluded.has(p.credentialId))) {
    settleError(c, 'InvalidStateError', 'The authenticator already holds a passkey for this account.', { closeWindow: false });
    return { next: 'notice', message: `You already have a passkey for ${c.rpId} saved in Latchkey.` };
  }
  // §6.3.2 step 2: the first algorithm in the site's list that Latchkey supports. The request was
  // handed to the browser before any window when there is none; kept as a refusal here all the same.
  const alg = chooseAlgorithm(o.pubKeyCredParams);
  if (alg === null) {
    settleError(c, 'NotSupportedError', 'Latchkey supports none of the requested algorithms.');
    return { next: 'done' };
  }
  // §6.1.3: BE is set now and never changes. With sync on the passkey is backup eligible, and
  // backed up (BS) as it is uploaded a moment later (docs/SYNC.md); with sync off, neither.
  const synced = await isSyncOn();
  const made = await makeRegistration({
    rpId: c.rpId, origin: c.origin, challenge: o.challenge, crossOrigin: c.crossOrigin,
    ...(c.crossOrigin ? { topOrigin: c.topOrigin } : {}), uv: key.uv, alg, be: synced, bs: synced,
    // §5.1.3, conditional mediation: no user presence was collected for an upgrade.
    ...(upgrade ? { up: false } : {}),
    ...(alg === -7 ? { keyPair: await takeES256KeyPair() } : {}),
  });
  await v.addPasskey(key.vaultKey, {
    credentialId: toBase64url(made.credentialId),
    rpId: c.rpId,
    userHandle: o.user.id,
    userName: o.user.name,
    userDisplayName: o.user.displayName,
    alg: made.response.response.publicKeyAlgorithm,
    publicKey: toBase64url(made.publicKey),
    backupEligible: synced,
    backupState: synced,
    createdAt: Date.now(),
  }, made.privateKey);
  syncSoon(); // to the other devices, when sync is on
  const credential = made.response;
  // prf (§10.1.4, registration): { enabled: true }, and results when eval was given and UV was performed.
  let prf: ReturnType<typeof prfResultsForPage>;
  try {
    prf = prfResultsForPage(c.request, { privateKey: made.privateKey, uv: key.uv, credentialId: credential.id });
  } catch (e) {
    made.privateKey.fill(0);
    throw e;
  }
  // credProps (§10.1.3): every Latchkey passkey is discoverable.
  if (o.extensions?.credProps === true) credential.clientExtensionResults = { ...credential.clientExtensionResults, credProps: { rk: true } };
  if (prf) credential.clientExtensionResults = { ...credential.clientExtensionResults, prf };
  // The page has its answer now; it is not kept waiting while the person names the passkey.
  // A window ceremony keeps its window open for that step (closing it then only keeps the name).
  const naming = c.answeredBy === 'window' && c.popupWindowId !== null ? c.popupWindowId : null;
  settle(c, { status: 'created', credential }, { closeWindow: naming === null });
  // The new key is in memory now: keep it ready to sign, as a non-extractable key (after answering).
  const sealedKeyId = alg === -7 ? v.cachedSealedKeyId(toBase64url(made.credentialId)) : undefined;
  if (sealedKeyId) {
    const id = toBase64url(made.credentialId);
    await importES256PrivateKey(made.privateKey, made.publicKey)
      .then((k) => { signingKeys.set(id, { sealedKeyId, key: k }); }, () => {});
  }
  made.privateKey.fill(0);
  if (alg === -7) prepareES256KeyPair(); // for the next create, now that this one is answered
  await touchSession();
  if (naming === null) return { next: 'done' };
  const suggestedName = suggestName(o.user, c.rpId);
  await grantNaming({ ceremonyId: c.id, credentialId: toBase64url(made.credentialId), rpId: c.rpId, windowId: naming, until: Date.now() + NAMING_WINDOW_MS, suggestedName });
  return { next: 'saved', rpId: c.rpId, suggestedName };
}

export async function assert(c: Ceremony, credentialId: string, key: { vaultKey: Uint8Array; uv: boolean }): Promise<StepAnswer> {
  if (c.request.op !== 'get') return { next: 'error', message: 'This is not a sign-in.' };
  const candidates = await candidatesFor(c);
  const chosen = candidates.find((p) => p.credentialId === credentialId);
  if (!chosen) return { next: 'error', message: 'That passkey is not one this site may use.' };
  const alg = chosen.alg;
  if (alg !== -7 && alg !== -8) return { next: 'error', message: `This passkey's algorithm (${alg}) is not one Latchkey can sign with.` };
  const v = await vault();
  // Counted before signing (the counter is part of the signed authenticator data); for Latchkey's
  // own passkeys (counter 0) only the last-used date is written, after answering (vault.beginSigning).
  const usedAt = Date.now();
  const use = await v.beginSigning(key.vaultKey, credentialId, usedAt);
  let privateKey: Uint8Array | CryptoKey;
  let plain: Uint8Array | null = null;
  const known = signingKeys.get(credentialId);
  // prf outputs (§10.1.4) are derived from the key's bytes, so a get that uses prf unseals it.
  const wantsPrf = c.request.options.extensions?.prf !== undefined;
  if (alg === -7 && known && known.sealedKeyId === use.sealedKeyId && !wantsPrf) {
    privateKey = known.key;
  } else {
    plain = await use.unseal();
    privateKey = plain;
    if (alg === -7) {
      // EdDSA stays on noble's Ed25519 (WebCrypto's is missing from some supported browsers).
      privateKey = await importES256PrivateKey(plain, fromBase64url(chosen.publicKey));
      signingKeys.set(credentialId, { sealedKeyId: use.sealedKeyId, key: privateKey });
    }
  }
  try {
    const credential = await makeAssertion({
      rpId: c.rpId, origin: c.origin, challenge: c.request.options.challenge, crossOrigin: c.crossOrigin,
      ...(c.crossOrigin ? { topOrigin: c.topOrigin } : {}), uv: key.uv,
      be: chosen.backupEligible, bs: chosen.backupState,
      credentialId: fromBase64url(credentialId), privateKey, userHandle: fromBase64url(chosen.userHandle), signCount: use.signCount,
      alg, // ES256 or EdDSA, as the passkey was made
    });
    // prf (§10.1.4, authentication): the input for this credential (evalByCredential, else eval).
    const prf = plain ? prfResultsForPage(c.request, { privateKey: plain, uv: key.uv, credentialId }) : undefined;
    if (prf) credential.clientExtensionResults = { ...credential.clientExtensionResults, prf };
    settle(c, { status: 'asserted', credential });
    await touchSession();
    return { next: 'done' };
  } finally {
    plain?.fill(0);
    // Latchkey's own passkeys: the last-used date is written a moment after the answer, with the
    // rest of the burst's (vault.beginSigning, recordLastUsed), so it never holds up a write the
    // next ceremony waits for (IndexedDB runs write transactions on the passkeys one after another).
    // It is only a date for sorting and display; a counter that counts was stored before signing.
    if (!use.stored) deferLastUsed(credentialId, usedAt);
  }
}

export async function setPin(c: Ceremony, pin: string): Promise<StepAnswer> {
  const v = await vault();
  if (await v.isInitialized()) return { next: 'unlock' };
  let vaultKey: Uint8Array;
  try {
    vaultKey = await v.initialize(pin);
  } catch (e) {
    if ((e as { code?: string }).code === 'pin-policy') return { next: 'set-pin', error: (e as Error).message };
    throw e;
  }
  await startSession(vaultKey, Date.now());
  c.pinEnteredHere = true;
  await persist(c);
  return proceed(c);
}

export async function unlock(c: Ceremony, pin: string): Promise<StepAnswer> {
  const v = await vault();
  try {
    const vaultKey = await v.unlock(pin);
    await startSession(vaultKey, Date.now());
  } catch (e) {
    const err = e as { code?: string; message: string; retryAfterMs?: number };
    if (err.code === 'wrong-pin' || err.code === 'too-soon') {
      return { next: 'unlock', error: err.message, ...(err.retryAfterMs ? { retryAfterMs: err.retryAfterMs } : {}) };
    }
    throw e;
  }
  c.pinEnteredHere = true;
  await persist(c);
  return proceed(c);
}

export function cancel(c: Ceremony): StepAnswer {
  settleError(c, 'NotAllowedError', NOT_ALLOWED);
  return { next: 'done' };
}
