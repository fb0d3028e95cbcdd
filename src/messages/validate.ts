// Runtime checks of messages that cross a trust boundary. A content script speaks for a web page,
// so everything it sends is checked here before the background acts on it; a message that fails
// is answered with an error and otherwise ignored.
import type { CStoBG, CeremonyRequest, UItoBG } from './protocol';
import type {
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
function extensions(v: unknown, path: string): Record<string, unknown> | undefined {
  // Extension inputs are JSON values produced by main-world; kept as data and read member by member.
  return v === undefined ? undefined : obj(v, path);
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
  const ext = extensions(o.extensions, 'extensions');
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
  const ext = extensions(o.extensions, 'extensions');
  if (ext) out.extensions = ext;
  return out;
}

export function parseCeremonyRequest(v: unknown): CeremonyRequest {
  const o = obj(v, 'request');
  if (o.op === 'create') return { op: 'create', options: parseCreationOptions(o.options) };
  if (o.op === 'get') return { op: 'get', options: parseRequestOptions(o.options) };
  return fail('request.op', '"create" or "get"');
}

export function parseCStoBG(v: unknown): CStoBG {
  const o = obj(v, 'message');
  if (o.kind === 'request') return { kind: 'request', request: parseCeremonyRequest(o.request) };
  if (o.kind === 'abort') return { kind: 'abort' };
  if (o.kind === 'resume') {
    const id = str(o.ceremonyId, 'ceremonyId');
    if (!/^[0-9a-f]{32}$/.test(id)) fail('ceremonyId', 'a ceremony id');
    return { kind: 'resume', ceremonyId: id };
  }
  return fail('message.kind', '"request", "abort" or "resume"');
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
    default:
      return fail('type', 'a known ceremony message');
  }
}
