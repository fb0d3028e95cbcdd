// Runtime checks of messages that cross a trust boundary. A content script speaks for a web page,
// so everything it sends is checked here before the background acts on it; a message that fails
// is answered with an error and otherwise ignored.
import { fromBase64url } from '../core/base64url';
import type { CStoBG, CeremonyRequest, ContainerAnswer, FrameFacts, SignalRequest, UItoBG } from './protocol';
import type {
  AuthenticationExtensionsClientInputsJSON,
  AuthenticationExtensionsPRFInputsJSON,
  AuthenticationExtensionsPRFValuesJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialDescriptorJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from './wire';

export class MessageShapeError extends Error {
  override name = 'MessageShapeError';
}

type Obj = Record<string, unknown>;
const B64URL = /^[A-Za-z0-9_-]*$/;
const MAX_STRING = 64 * 1024;

function fail(path: string, want: string): never {
  throw new MessageShapeError(`${path}: expected ${want}`);
}
function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object');
  return v as Obj;
}
function str(v: unknown, path: string): string {
  if (typeof v !== 'string' || v.length > MAX_STRING) fail(path, 'a string');
  return v;
}
function optStr(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : str(v, path);
}
function b64(v: unknown, path: string): string {
  const s = str(v, path);
  if (!B64URL.test(s)) fail(path, 'base64url');
  return s;
}
function num(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a number');
  return v;
}
function arr(v: unknown, path: string, max = 1000): unknown[] {
  if (!Array.isArray(v) || v.length > max) fail(path, `an array of at most ${max}`);
  return v;
}
function strArr(v: unknown, path: string): string[] | undefined {
  return v === undefined ? undefined : arr(v, path, 64).map((x, i) => str(x, `${path}[${i}]`));
}
/** Canonical unpadded base64url (the strict decoder accepts only that), as main-world writes it, so ids compare as strings. */
function canonicalB64(v: unknown, path: string): string {
  const s = b64(v, path);
  try { fromBase64url(s); } catch { fail(path, 'canonical base64url'); }
  return s;
}
function prfValues(v: unknown, path: string): AuthenticationExtensionsPRFValuesJSON {
  const o = obj(v, path);
  const out: AuthenticationExtensionsPRFValuesJSON = { first: canonicalB64(o.first, `${path}.first`) };
  if (o.second !== undefined) out.second = canonicalB64(o.second, `${path}.second`);
  return out;
}
/**
 * prf inputs (§10.1.4). main-world already ran the spec's checks with the spec's errors; here a page
 * that bypassed it gets its request refused: evalByCredential at create (NotSupportedError there),
 * and at get a key that is not the canonical id of an allowCredentials entry (NotSupportedError /
 * SyntaxError there). Each entry is bounded like any string; the entries by allowCredentials' own bound.
 */
function prfInputs(v: unknown, path: string, allowIds: Set<string> | null): AuthenticationExtensionsPRFInputsJSON {
  const o = obj(v, path);
  const out: AuthenticationExtensionsPRFInputsJSON = {};
  if (o.eval !== undefined) out.eval = prfValues(o.eval, `${path}.eval`);
  if (o.evalByCredential !== undefined) {
    if (!allowIds) fail(`${path}.evalByCredential`, 'nothing at create');
    const byCred = obj(o.evalByCredential, `${path}.evalByCredential`);
    const map: Record<string, AuthenticationExtensionsPRFValuesJSON> = {}; // keys are checked ids first, never "__proto__"
    for (const key of Object.keys(byCred)) {
      if (key === '' || !allowIds.has(canonicalB64(key, `${path}.evalByCredential key`))) fail(`${path}.evalByCredential key`, 'an allowCredentials id');
      map[key] = prfValues(byCred[key], `${path}.evalByCredential[${key}]`);
    }
    out.evalByCredential = map;
  }
  return out;
}
/**
 * Extension inputs are JSON values produced by main-world; only those Latchkey acts on are kept
 * (the others are ignored, as a client ignores extensions it does not support, §9).
 * `allowIds` is null at create, the allowCredentials ids at get.
 */
function extensions(v: unknown, path: string, allowIds: Set<string> | null): AuthenticationExtensionsClientInputsJSON | undefined {
  if (v === undefined) return undefined;
  const o = obj(v, path);
  const out: AuthenticationExtensionsClientInputsJSON = {};
  if (o.credProps !== undefined) out.credProps = o.credProps === true;
  if (o.prf !== undefined) out.prf = prfInputs(o.prf, `${path}.prf`, allowIds);
  return out;
}

function descriptors(v: unknown, path: string): PublicKeyCredentialDescriptorJSON[] | undefined {
  if (v === undefined) return undefined;
  return arr(v, path).map((d, i) => {
    const o = obj(d, `${path}[${i}]`);
    const out: PublicKeyCredentialDescriptorJSON = { type: str(o.type, `${path}[${i}].type`), id: b64(o.id, `${path}[${i}].id`) };
    const transports = strArr(o.transports, `${path}[${i}].transports`);
    if (transports) out.transports = transports;
    return out;
  });
}

export function parseCreationOptions(v: unknown): PublicKeyCredentialCreationOptionsJSON {
  const o = obj(v, 'options');
  const rp = obj(o.rp, 'rp');
  const user = obj(o.user, 'user');
  const out: PublicKeyCredentialCreationOptionsJSON = {
    rp: { name: str(rp.name, 'rp.name') },
    user: { id: b64(user.id, 'user.id'), name: str(user.name, 'user.name'), displayName: str(user.displayName, 'user.displayName') },
    challenge: b64(o.challenge, 'challenge'),
    pubKeyCredParams: arr(o.pubKeyCredParams, 'pubKeyCredParams').map((p, i) => {
      const q = obj(p, `pubKeyCredParams[${i}]`);
      return { type: str(q.type, `pubKeyCredParams[${i}].type`), alg: num(q.alg, `pubKeyCredParams[${i}].alg`) };
    }),
  };
  const rpId = optStr(rp.id, 'rp.id');
  if (rpId !== undefined) out.rp.id = rpId;
  if (o.timeout !== undefined) out.timeout = num(o.timeout, 'timeout');
  const exclude = descriptors(o.excludeCredentials, 'excludeCredentials');
  if (exclude) out.excludeCredentials = exclude;
  if (o.authenticatorSelection !== undefined) {
    const a = obj(o.authenticatorSelection, 'authenticatorSelection');
    out.authenticatorSelection = {};
    const att = optStr(a.authenticatorAttachment, 'authenticatorSelection.authenticatorAttachment');
    if (att !== undefined) out.authenticatorSelection.authenticatorAttachment = att;
    const rk = optStr(a.residentKey, 'authenticatorSelection.residentKey');
    if (rk !== undefined) out.authenticatorSelection.residentKey = rk;
    if (a.requireResidentKey !== undefined) out.authenticatorSelection.requireResidentKey = a.requireResidentKey === true;
    const uv = optStr(a.userVerification, 'authenticatorSelection.userVerification');
    if (uv !== undefined) out.authenticatorSelection.userVerification = uv;
  }
  const hints = strArr(o.hints, 'hints');
  if (hints) out.hints = hints;
  const attestation = optStr(o.attestation, 'attestation');
  if (attestation !== undefined) out.attestation = attestation;
  const ext = extensions(o.extensions, 'extensions', null);
  if (ext) out.extensions = ext;
  return out;
}

export function parseRequestOptions(v: unknown): PublicKeyCredentialRequestOptionsJSON {
  const o = obj(v, 'options');
  const out: PublicKeyCredentialRequestOptionsJSON = { challenge: b64(o.challenge, 'challenge') };
  if (o.timeout !== undefined) out.timeout = num(o.timeout, 'timeout');
  const rpId = optStr(o.rpId, 'rpId');
  if (rpId !== undefined) out.rpId = rpId;
  const allow = descriptors(o.allowCredentials, 'allowCredentials');
  if (allow) out.allowCredentials = allow;
  const uv = optStr(o.userVerification, 'userVerification');
  if (uv !== undefined) out.userVerification = uv;
  const hints = strArr(o.hints, 'hints');
  if (hints) out.hints = hints;
  const ext = extensions(o.extensions, 'extensions', new Set((allow ?? []).map((d) => d.id)));
  if (ext) out.extensions = ext;
  return out;
}

export function parseCeremonyRequest(v: unknown): CeremonyRequest {
  const o = obj(v, 'request');
  if (o.mediation !== undefined && o.mediation !== 'conditional') fail('request.mediation', '"conditional" or absent');
  const conditional = o.mediation === 'conditional' ? { mediation: 'conditional' as const } : {};
  if (o.op === 'create') return { op: 'create', options: parseCreationOptions(o.options), ...conditional };
  if (o.op === 'get') {
    return { op: 'get', options: parseRequestOptions(o.options), ...conditional };
  }
  return fail('request.op', '"create" or "get"');
}

/** A signal method's call (§5.1.10): only the members the method defines, each of its type. */
export function parseSignalRequest(v: unknown): SignalRequest {
  const o = obj(v, 'signal');
  const x = obj(o.options, 'signal.options');
  const rpId = str(x.rpId, 'signal.options.rpId');
  switch (o.op) {
    case 'signalUnknownCredential':
      return { op: o.op, options: { rpId, credentialId: b64(x.credentialId, 'signal.options.credentialId') } };
    case 'signalAllAcceptedCredentials':
      return {
        op: o.op,
        options: {
          rpId, userId: b64(x.userId, 'signal.options.userId'),
          allAcceptedCredentialIds: arr(x.allAcceptedCredentialIds, 'signal.options.allAcceptedCredentialIds', 10_000)
            .map((id, i) => b64(id, `signal.options.allAcceptedCredentialIds[${i}]`)),
        },
      };
    case 'signalCurrentUserDetails':
      return {
        op: o.op,
        options: { rpId, userId: b64(x.userId, 'signal.options.userId'), name: str(x.name, 'signal.options.name'), displayName: str(x.displayName, 'signal.options.displayName') },
      };
    default:
      return fail('signal.op', 'a signal method');
  }
}

function bool(v: unknown, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'a boolean');
  return v;
}
function frameIdOrNull(v: unknown, path: string): number | null {
  if (v === null) return null;
  if (!Number.isSafeInteger(v) || (v as number) < 0) fail(path, 'a frame id or null');
  return v as number;
}

/** The facts the bridge read about its frame (protocol.ts FrameFacts); frames.ts judges them. */
export function parseFrameFacts(v: unknown): FrameFacts {
  const o = obj(v, 'facts');
  const policy = o.policy === null ? null : obj(o.policy, 'facts.policy');
  return {
    origin: str(o.origin, 'facts.origin'),
    ancestorOrigins: o.ancestorOrigins === null ? null : arr(o.ancestorOrigins, 'facts.ancestorOrigins', 64).map((x, i) => str(x, `facts.ancestorOrigins[${i}]`)),
    policy: policy === null ? null : {
      create: policy.create === null ? null : bool(policy.create, 'facts.policy.create'),
      get: policy.get === null ? null : bool(policy.get, 'facts.policy.get'),
    },
    parentFrameId: frameIdOrNull(o.parentFrameId, 'facts.parentFrameId'),
    activation: bool(o.activation, 'facts.activation'),
  };
}

/** A parent frame's answer about the element holding its child (Firefox; frames.ts). */
export function parseContainerAnswer(v: unknown): ContainerAnswer {
  const o = obj(v, 'answer');
  const c = o.container === null ? null : obj(o.container, 'answer.container');
  return {
    origin: str(o.origin, 'answer.origin'),
    parentFrameId: frameIdOrNull(o.parentFrameId, 'answer.parentFrameId'),
    container: c === null ? null : {
      allow: c.allow === null ? null : str(c.allow, 'answer.container.allow'),
      declaredOrigin: str(c.declaredOrigin, 'answer.container.declaredOrigin'),
    },
  };
}

export function parseCStoBG(v: unknown): CStoBG {
  const o = obj(v, 'message');
  if (o.kind === 'request') return { kind: 'request', request: parseCeremonyRequest(o.request), facts: parseFrameFacts(o.facts) };
  if (o.kind === 'signal') return { kind: 'signal', signal: parseSignalRequest(o.signal), origin: str(o.origin, 'origin') };
  if (o.kind === 'abort') return { kind: 'abort' };
  if (o.kind === 'resume') {
    const id = str(o.ceremonyId, 'ceremonyId');
    if (!/^[0-9a-f]{32}$/.test(id)) fail('ceremonyId', 'a ceremony id');
    return { kind: 'resume', ceremonyId: id };
  }
  return fail('message.kind', '"request", "signal", "abort" or "resume"');
}

/** The envelope of a message on the ceremony port; its message is checked by parseCStoBG. */
export function parseCSEnvelope(v: unknown): { rid: number; msg: CStoBG } {
  const o = obj(v, 'envelope');
  if (typeof o.rid !== 'number' || !Number.isSafeInteger(o.rid) || o.rid < 1) fail('envelope.rid', 'a positive integer');
  return { rid: o.rid, msg: parseCStoBG(o.msg) };
}

export function parseUItoBG(v: unknown): UItoBG {
  const o = obj(v, 'message');
  const id = str(o.id, 'id');
  switch (o.type) {
    case 'ceremony/describe':
    case 'ceremony/save':
    case 'ceremony/handover':
    case 'ceremony/always-handover':
    case 'ceremony/cancel':
      return { type: o.type, id };
    case 'ceremony/choose':
      return { type: o.type, id, credentialId: b64(o.credentialId, 'credentialId') };
    case 'ceremony/set-pin':
    case 'ceremony/unlock':
      return { type: o.type, id, pin: str(o.pin, 'pin') };
    case 'ceremony/name':
      return { type: o.type, id, label: str(o.label, 'label') };
    default:
      return fail('type', 'a known ceremony message');
  }
}
