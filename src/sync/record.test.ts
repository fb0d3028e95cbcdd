import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { PasskeySummary } from '../vault/vault';
import {
  applyLocalEdits, applyLocalSites, mergePasskeys, mergeSettings, recordFromPasskey, sameRecord, sitesOf, tombstone,
  vaultChangesFor, type PasskeySyncRecord, type Stamp,
} from './record';

const summary = (o: Partial<PasskeySummary> = {}): PasskeySummary => ({
  credentialId: 'cred', rpId: 'example.com', userHandle: 'dQ', userName: 'ann@example.com', userDisplayName: 'Ann',
  alg: -7, publicKey: 'pk', backupEligible: false, backupState: false, signCount: 0, createdAt: 1000,
  lastUsedAt: null, label: null, hidden: null, ...o,
});

function clock(device: string, start = 0) {
  let c = start;
  return () => ({ c: ++c, d: device } satisfies Stamp);
}

test('a rename on one device and a sign-in on another both survive, in either order', () => {
  const base = recordFromPasskey(summary(), { c: 1, d: 'A' });
  const renamed = applyLocalEdits(base, summary({ label: 'Work' }), clock('A', 1));
  const signedIn = applyLocalEdits(base, summary({ lastUsedAt: 5000 }), clock('B', 1));
  for (const m of [mergePasskeys(renamed, signedIn), mergePasskeys(signedIn, renamed)]) {
    assert.equal(m.label?.v, 'Work');
    assert.equal(m.lastUsedAt, 5000);
  }
});

test('a delete wins over an older edit and over a concurrent one; an import again (new incarnation) wins over the delete', () => {
  const base = recordFromPasskey(summary(), { c: 1, d: 'A' });
  const older = applyLocalEdits(base, summary({ label: 'Old' }), clock('B', 1));
  const del = tombstone('cred', 0, { c: 3, d: 'A' });
  assert.ok(mergePasskeys(older, del).deleted);
  assert.ok(mergePasskeys(del, older).deleted);
  // Concurrent, even with a higher Lamport counter: the delete still wins (docs/SYNC.md).
  const later = applyLocalEdits(base, summary({ label: 'Later' }), clock('B', 10));
  assert.ok(mergePasskeys(later, del).deleted);
  const again = recordFromPasskey(summary({ label: 'Back' }), { c: 4, d: 'B' }, 1);
  assert.equal(mergePasskeys(del, again).deleted, null);
  assert.equal(mergePasskeys(again, del).label?.v, 'Back');
});

test('clock skew cannot reorder edits: stamps are Lamport counters, not dates', () => {
  // Device B's clock is a year behind, but it renamed after seeing A's rename (its counter moved past A's).
  const base = recordFromPasskey(summary(), { c: 1, d: 'A' });
  const a = applyLocalEdits(base, summary({ label: 'From A' }), clock('A', 1)); // stamp 2
  const b = applyLocalEdits(a, summary({ label: 'From B (later)' }), clock('B', 2)); // stamp 3
  assert.equal(mergePasskeys(a, b).label?.v, 'From B (later)');
  assert.equal(mergePasskeys(b, a).label?.v, 'From B (later)');
});

test('BE and BS travel as fixed fields: a merge never changes them (§6.1.3), and neither do edits', () => {
  const be0 = recordFromPasskey(summary(), { c: 1, d: 'A' });
  const edited = applyLocalEdits(be0, summary({ label: 'x', lastUsedAt: 9, signCount: 0 }), clock('B', 1));
  const m = mergePasskeys(be0, edited);
  assert.deepEqual([m.fixed?.backupEligible, m.fixed?.backupState], [false, false]);
  const be1 = recordFromPasskey(summary({ backupEligible: true, backupState: true }), { c: 1, d: 'A' });
  assert.deepEqual([be1.fixed?.backupEligible, be1.fixed?.backupState], [true, true]);
});

test('the signature counter and last used only move forward (§6.1.1)', () => {
  const base = recordFromPasskey(summary({ signCount: 7, lastUsedAt: 100 }), { c: 1, d: 'A' });
  const a = applyLocalEdits(base, summary({ signCount: 9, lastUsedAt: 300 }), clock('A', 1));
  const b = applyLocalEdits(base, summary({ signCount: 8, lastUsedAt: 200 }), clock('B', 1));
  assert.deepEqual([mergePasskeys(a, b).signCount, mergePasskeys(b, a).lastUsedAt], [9, 300]);
  assert.equal(applyLocalEdits(a, summary({ signCount: 1, lastUsedAt: 1 }), clock('A', 5)), a, 'an older vault value is no edit');
});

// Arbitrary records of one credential, as devices produce them: the merge must be a join.
const stampArb = fc.record({ c: fc.integer({ min: 1, max: 6 }), d: fc.constantFrom('A', 'B', 'C') });
const recordArb: fc.Arbitrary<PasskeySyncRecord> = fc.oneof(
  fc.record({ inc: fc.integer({ min: 0, max: 2 }), s: stampArb }).map(({ inc, s }) => tombstone('cred', inc, s)),
  fc.record({
    inc: fc.integer({ min: 0, max: 2 }), l: fc.option(fc.constantFrom('a', 'b')), ls: stampArb, us: stampArb, un: fc.constantFrom('u1', 'u2'),
    hs: stampArb, h: fc.boolean(), used: fc.option(fc.integer({ min: 0, max: 9 })), n: fc.integer({ min: 0, max: 9 }),
  }).map((x) => ({
    ...recordFromPasskey(summary(), { c: 1, d: 'A' }, x.inc),
    label: { v: x.l, s: x.ls }, user: { v: { name: x.un, displayName: x.un }, s: x.us },
    hidden: { v: x.h ? { at: 1, by: 'unknown' as const } : null, s: x.hs }, lastUsedAt: x.used, signCount: x.n,
  })),
);

test('merge is commutative, associative and idempotent (any order of arrival gives the same record)', () => {
  fc.assert(fc.property(recordArb, recordArb, recordArb, (a, b, c) => {
    assert.ok(sameRecord(mergePasskeys(a, b), mergePasskeys(b, a)), 'commutative');
    assert.ok(sameRecord(mergePasskeys(mergePasskeys(a, b), c), mergePasskeys(a, mergePasskeys(b, c))), 'associative');
    assert.ok(sameRecord(mergePasskeys(a, a), a), 'idempotent');
  }), { numRuns: 2000 });
});

test('what the vault must do to hold a merged record', () => {
  const r = applyLocalEdits(recordFromPasskey(summary(), { c: 1, d: 'A' }), summary({ label: 'Work', lastUsedAt: 50, userName: 'new' }), clock('A', 1));
  assert.deepEqual(vaultChangesFor(r, summary()), [
    { op: 'rename', label: 'Work' }, { op: 'user', name: 'new', displayName: 'Ann' }, { op: 'last-used', at: 50 },
  ]);
  assert.deepEqual(vaultChangesFor(r, undefined), [{ op: 'import' }]);
  assert.deepEqual(vaultChangesFor(tombstone('cred', 0, { c: 9, d: 'B' }), summary()), [{ op: 'delete' }]);
  assert.deepEqual(vaultChangesFor(r, summary({ publicKey: 'another key' })), [], 'a different key under the same id is left alone');
});

test('the sites that always use the browser: additions on two devices both stay; a removal sticks', () => {
  const empty = { kind: 'settings' as const, id: 'settings' as const, sites: {} };
  const a = applyLocalSites(empty, ['a.example'], clock('A'));
  const b = applyLocalSites(empty, ['b.example'], clock('B'));
  const both = mergeSettings(a, b);
  assert.deepEqual(sitesOf(both), ['a.example', 'b.example']);
  const removed = applyLocalSites(both, ['b.example'], clock('B', 5));
  assert.deepEqual(sitesOf(mergeSettings(both, removed)), ['b.example']);
  assert.equal(applyLocalSites(both, ['b.example', 'a.example'], clock('A', 5)), both, 'no change, same record');
});
