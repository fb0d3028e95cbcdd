// Sync records and their merge (docs/SYNC.md "Records and merges"). One record per passkey and one
// for the settings that follow the person. Every mutable field is a register stamped with a Lamport
// clock (counter, device id): never the wall clock, so clock skew cannot reorder edits. The merge
// is a join (commutative, associative, idempotent): devices that saw the same records agree.
import type { HiddenMark, PasskeySummary } from '../vault/vault';

/** A Lamport stamp: the counter, then the device id to order concurrent edits the same way everywhere. */
export interface Stamp { c: number; d: string }
/** A last-writer-wins register. */
export interface Reg<T> { v: T; s: Stamp }

/** What never changes for a credential (WebAuthn L3 §6.1.3: BE is set at creation and MUST NOT change). */
export interface PasskeyFixed {
  rpId: string; userHandle: string; alg: number; publicKey: string;
  backupEligible: boolean; backupState: boolean; createdAt: number;
}

export interface PasskeySyncRecord {
  kind: 'passkey';
  /** The credential id (base64url). */
  id: string;
  /** Incarnation: a credential id deleted and later imported again is a new incarnation, which wins. */
  inc: number;
  /** The tombstone's stamp; a tombstone keeps nothing else. */
  deleted: Stamp | null;
  fixed: PasskeyFixed | null;
  label: Reg<string | null> | null;
  user: Reg<{ name: string; displayName: string }> | null;
  hidden: Reg<HiddenMark | null> | null;
  /** The maximum: a sign-in on any device moves it forward. */
  lastUsedAt: number | null;
  /** The maximum (§6.1.1: a counter never goes back). */
  signCount: number;
}

/** The sites that always use the browser: a map of registers, so additions on two devices both stay. */
export interface SettingsSyncRecord {
  kind: 'settings';
  id: 'settings';
  sites: Record<string, Reg<boolean>>;
}

export type SyncRecord = PasskeySyncRecord | SettingsSyncRecord;

export function compareStamps(a: Stamp | null, b: Stamp | null): number {
  if (!a || !b) return a ? 1 : b ? -1 : 0;
  return a.c - b.c || (a.d < b.d ? -1 : a.d > b.d ? 1 : 0);
}

function mergeReg<T>(a: Reg<T> | null, b: Reg<T> | null): Reg<T> | null {
  const order = compareStamps(a?.s ?? null, b?.s ?? null);
  if (order !== 0) return order > 0 ? a : b;
  if (!a || !b) return a ?? b;
  // Same stamp: the same edit (one device never stamps two edits alike); stay deterministic anyway.
  return JSON.stringify(a.v) <= JSON.stringify(b.v) ? a : b;
}

function maxNullable(a: number | null, b: number | null): number | null {
  return a === null ? b : b === null ? a : Math.max(a, b);
}

export function tombstone(id: string, inc: number, at: Stamp): PasskeySyncRecord {
  return { kind: 'passkey', id, inc, deleted: at, fixed: null, label: null, user: null, hidden: null, lastUsedAt: null, signCount: 0 };
}

export function mergePasskeys(a: PasskeySyncRecord, b: PasskeySyncRecord): PasskeySyncRecord {
  if (a.id !== b.id) throw new Error('merging records of two credentials');
  if (a.inc !== b.inc) return a.inc > b.inc ? a : b;
  // A delete wins over every edit of its incarnation, older or concurrent (docs/SYNC.md).
  if (a.deleted || b.deleted) {
    const order = compareStamps(a.deleted, b.deleted);
    return tombstone(a.id, a.inc, (order >= 0 ? a.deleted : b.deleted)!);
  }
  let fixed = a.fixed ?? b.fixed;
  if (a.fixed && b.fixed && JSON.stringify(a.fixed) !== JSON.stringify(b.fixed)) {
    // Never happens between Latchkey's own devices (these fields are set once); deterministic anyway.
    fixed = JSON.stringify(a.fixed) < JSON.stringify(b.fixed) ? a.fixed : b.fixed;
  }
  return {
    kind: 'passkey', id: a.id, inc: a.inc, deleted: null, fixed,
    label: mergeReg(a.label, b.label), user: mergeReg(a.user, b.user), hidden: mergeReg(a.hidden, b.hidden),
    lastUsedAt: maxNullable(a.lastUsedAt, b.lastUsedAt), signCount: Math.max(a.signCount, b.signCount),
  };
}

export function mergeSettings(a: SettingsSyncRecord, b: SettingsSyncRecord): SettingsSyncRecord {
  const sites: Record<string, Reg<boolean>> = {};
  for (const k of [...new Set([...Object.keys(a.sites), ...Object.keys(b.sites)])].sort()) {
    sites[k] = mergeReg(a.sites[k] ?? null, b.sites[k] ?? null)!;
  }
  return { kind: 'settings', id: 'settings', sites };
}

export function mergeRecords<T extends SyncRecord>(a: T, b: T): T {
  if (a.kind === 'passkey' && b.kind === 'passkey') return mergePasskeys(a, b) as T;
  if (a.kind === 'settings' && b.kind === 'settings') return mergeSettings(a, b) as T;
  throw new Error('merging records of two kinds');
}

/** Deep equality of records (their JSON with sorted keys is what travels). */
export function sameRecord(a: SyncRecord | null | undefined, b: SyncRecord | null | undefined): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : 1))) : x));
}

/** The highest Lamport counter in a record: the device's clock moves past it on receipt. */
export function maxCounter(r: SyncRecord): number {
  if (r.kind === 'settings') return Math.max(0, ...Object.values(r.sites).map((x) => x.s.c));
  return Math.max(0, r.deleted?.c ?? 0, r.label?.s.c ?? 0, r.user?.s.c ?? 0, r.hidden?.s.c ?? 0);
}

/** A passkey seen for the first time on this device (inc: 0, or one more than a tombstone's). */
export function recordFromPasskey(p: PasskeySummary, stamp: Stamp, inc = 0): PasskeySyncRecord {
  return {
    kind: 'passkey', id: p.credentialId, inc, deleted: null,
    fixed: {
      rpId: p.rpId, userHandle: p.userHandle, alg: p.alg, publicKey: p.publicKey,
      backupEligible: p.backupEligible, backupState: p.backupState, createdAt: p.createdAt,
    },
    label: { v: p.label ?? null, s: stamp },
    user: { v: { name: p.userName, displayName: p.userDisplayName }, s: stamp },
    hidden: { v: p.hidden ? { at: p.hidden.at, by: p.hidden.by } : null, s: stamp },
    lastUsedAt: p.lastUsedAt, signCount: p.signCount,
  };
}

/**
 * The record after the person's edits on this device (what the vault holds now, against the
 * record as last merged and applied). Each changed register gets a new stamp from `next`; last used
 * and the counter only move forward. Returns `prev` itself when nothing changed.
 */
export function applyLocalEdits(prev: PasskeySyncRecord, p: PasskeySummary, next: () => Stamp): PasskeySyncRecord {
  if (prev.deleted) throw new Error('a tombstone has no edits');
  let out = prev;
  const edit = (patch: Partial<PasskeySyncRecord>) => { out = { ...out, ...patch }; };
  const label = p.label ?? null;
  if ((prev.label?.v ?? null) !== label) edit({ label: { v: label, s: next() } });
  if (prev.user?.v.name !== p.userName || prev.user?.v.displayName !== p.userDisplayName) {
    edit({ user: { v: { name: p.userName, displayName: p.userDisplayName }, s: next() } });
  }
  const hidden = p.hidden ? { at: p.hidden.at, by: p.hidden.by } : null;
  if (JSON.stringify(prev.hidden?.v ?? null) !== JSON.stringify(hidden)) edit({ hidden: { v: hidden, s: next() } });
  const used = maxNullable(prev.lastUsedAt, p.lastUsedAt);
  if (used !== prev.lastUsedAt) edit({ lastUsedAt: used });
  if (p.signCount > prev.signCount) edit({ signCount: p.signCount });
  return out;
}

/** What the vault must do so that it holds `r`; [] when it already does. */
export type VaultChange =
  | { op: 'delete' }
  | { op: 'import' }
  | { op: 'rename'; label: string | null }
  | { op: 'user'; name: string; displayName: string }
  | { op: 'hide'; at: number }
  | { op: 'unhide' }
  | { op: 'last-used'; at: number }
  | { op: 'count'; from: number; to: number };

export function vaultChangesFor(r: PasskeySyncRecord, p: PasskeySummary | undefined): VaultChange[] {
  if (r.deleted) return p ? [{ op: 'delete' }] : [];
  if (!p) return [{ op: 'import' }];
  const f = r.fixed;
  // The same credential id with another key or site: never Latchkey's own doing; the local one stays.
  if (!f || f.rpId !== p.rpId || f.publicKey !== p.publicKey || f.userHandle !== p.userHandle) return [];
  const out: VaultChange[] = [];
  const label = r.label?.v ?? null;
  if (label !== (p.label ?? null)) out.push({ op: 'rename', label });
  if (r.user && (r.user.v.name !== p.userName || r.user.v.displayName !== p.userDisplayName)) {
    out.push({ op: 'user', name: r.user.v.name, displayName: r.user.v.displayName });
  }
  const hidden = r.hidden?.v ?? null;
  if (hidden && !p.hidden) out.push({ op: 'hide', at: hidden.at });
  if (!hidden && p.hidden) out.push({ op: 'unhide' });
  if (r.lastUsedAt !== null && (p.lastUsedAt === null || r.lastUsedAt > p.lastUsedAt)) out.push({ op: 'last-used', at: r.lastUsedAt });
  if (r.signCount > p.signCount) out.push({ op: 'count', from: p.signCount, to: r.signCount });
  return out;
}

/** The settings record after this device's list of sites (additions and removals stamped). */
export function applyLocalSites(prev: SettingsSyncRecord, sites: readonly string[], next: () => Stamp): SettingsSyncRecord {
  const now = new Set(sites);
  const out: Record<string, Reg<boolean>> = { ...prev.sites };
  let changed = false;
  for (const s of now) if (!prev.sites[s]?.v) { out[s] = { v: true, s: next() }; changed = true; }
  for (const [s, r] of Object.entries(prev.sites)) if (r.v && !now.has(s)) { out[s] = { v: false, s: next() }; changed = true; }
  return changed ? { kind: 'settings', id: 'settings', sites: out } : prev;
}

export function sitesOf(r: SettingsSyncRecord): string[] {
  return Object.entries(r.sites).filter(([, x]) => x.v).map(([s]) => s).sort();
}

/** Checks the shape of a record read from the server (sealed by a Latchkey, maybe a newer one). */
export function checkRecord(v: unknown): SyncRecord {
  const r = v as { [K in 'id' | 'kind' | 'inc' | 'signCount' | 'deleted' | 'fixed' | 'sites']?: unknown } | null;
  const ok = r && typeof r === 'object' && typeof r.id === 'string' && (
    (r.kind === 'passkey' && Number.isInteger(r.inc) && typeof r.signCount === 'number' && (r.deleted !== undefined) && (r.deleted !== null || (typeof r.fixed === 'object' && r.fixed !== null)))
    || (r.kind === 'settings' && typeof r.sites === 'object' && r.sites !== null));
  if (!ok) throw new Error('This sync record has an unknown format (written by a newer Latchkey?). Update Latchkey on this device.');
  return r as SyncRecord;
}
