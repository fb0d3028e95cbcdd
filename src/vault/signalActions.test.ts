// The Signal API's actions (signalActions.ts, WebAuthn L3 §5.1.10), through the Vault facade.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PasskeyNotFoundError, VaultInputError, VaultQuotaError } from './errors.js';
import { failWrite, T0, signalVault } from './testFixtures.js';

test('a new passkey is not hidden', async () => {
  const { vault, ids } = await signalVault('hidden-new', {});
  assert.equal((await vault.get(ids[0]!))!.hidden, null);
  vault.close();
});

test('hideUnknownCredential hides only the passkey with that RP ID and id, once, and keeps it', async () => {
  const { vault, ids } = await signalVault('hide-unknown', { rpId: 'a.example' }, { rpId: 'a.example' });
  assert.equal(await vault.hideUnknownCredential('b.example', ids[0]!, T0), false, 'another RP ID: untouched');
  assert.equal(await vault.hideUnknownCredential('a.example', 'AAAA', T0), false, 'no such id');
  assert.equal(await vault.hideUnknownCredential('a.example', ids[0]!, T0), true);
  assert.equal(await vault.hideUnknownCredential('a.example', ids[0]!, T0 + 5), false, 'already hidden: first mark kept');
  assert.deepEqual((await vault.get(ids[0]!))!.hidden, { at: T0, by: 'unknown' });
  assert.equal((await vault.get(ids[1]!))!.hidden, null);
  assert.equal((await vault.listAll()).length, 2, 'hidden, not deleted');
  vault.close();
});

test('applyAcceptedCredentials hides what the list leaves out, for that user only, and shows listed ones again', async () => {
  const alice = 'YWxpY2U';
  const bob = 'Ym9i';
  const { vault, ids } = await signalVault('accepted',
    { rpId: 'a.example', userHandle: alice }, { rpId: 'a.example', userHandle: alice },
    { rpId: 'a.example', userHandle: bob }, { rpId: 'b.example', userHandle: alice });
  const [a1, a2, b1, other] = ids as [string, string, string, string];
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [a2], T0), { hidden: [a1], shown: [] });
  assert.deepEqual((await vault.get(a1))!.hidden, { at: T0, by: 'not-accepted' });
  for (const id of [a2, b1, other]) assert.equal((await vault.get(id))!.hidden, null);
  // An empty list hides every passkey of that user at that site (the spec's actions, literally).
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [], T0 + 1), { hidden: [a2], shown: [] });
  assert.deepEqual((await vault.get(a1))!.hidden, { at: T0, by: 'not-accepted' }, 'the first mark stays');
  // Listed again: shown again, whichever signal hid it.
  await vault.hideUnknownCredential('a.example', b1, T0);
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', alice, [a1, a2, 'QUJD'], T0 + 2), { hidden: [], shown: [a1, a2].sort((x, y) => (x < y ? -1 : 1)) });
  assert.deepEqual(await vault.applyAcceptedCredentials('a.example', bob, [b1], T0 + 3), { hidden: [], shown: [b1] });
  assert.equal((await vault.listAll()).filter((p) => p.hidden).length, 0);
  vault.close();
});

test('updateUserDetails renames every passkey of that site and user (hidden too), keeps labels, nothing else', async () => {
  const user = 'dXNlcg';
  const { vault, ids } = await signalVault('details',
    { rpId: 'a.example', userHandle: user, label: 'Work' }, { rpId: 'a.example', userHandle: user },
    { rpId: 'a.example' }, { rpId: 'b.example', userHandle: user });
  await vault.hideUnknownCredential('a.example', ids[1]!, T0);
  assert.equal(await vault.updateUserDetails('a.example', user, 'ada.l@example.com', 'Ada L.'), 2);
  assert.equal(await vault.updateUserDetails('a.example', user, 'ada.l@example.com', 'Ada L.'), 0, 'no change, no write');
  const [p0, p1, p2, p3] = await Promise.all(ids.map((id) => vault.get(id)));
  assert.deepEqual([p0!.userName, p0!.userDisplayName, p0!.label], ['ada.l@example.com', 'Ada L.', 'Work']);
  assert.deepEqual([p1!.userName, p1!.userDisplayName], ['ada.l@example.com', 'Ada L.']);
  assert.deepEqual(p1!.hidden, { at: T0, by: 'unknown' });
  assert.equal(p2!.userName, 'ada@example.com');
  assert.equal(p3!.userName, 'ada@example.com');
  vault.close();
});

test('unhidePasskey shows a hidden passkey again; unknown ids are refused', async () => {
  const { vault, ids } = await signalVault('unhide', { rpId: 'a.example' });
  await vault.hideUnknownCredential('a.example', ids[0]!, T0);
  assert.equal((await vault.unhidePasskey(ids[0]!)).hidden, null);
  assert.equal((await vault.get(ids[0]!))!.hidden, null);
  assert.equal((await vault.unhidePasskey(ids[0]!)).hidden, null, 'showing a shown passkey is harmless');
  await assert.rejects(vault.unhidePasskey('AAAA'), PasskeyNotFoundError);
  vault.close();
});

test('a signal write that fails leaves every passkey as it was (one transaction)', async () => {
  const user = 'dXNlcg';
  const { vault, ids } = await signalVault('signal-atomic', { rpId: 'a.example', userHandle: user }, { rpId: 'a.example', userHandle: user });
  const restore = failWrite('put', 'QuotaExceededError', 2);
  try {
    await assert.rejects(vault.applyAcceptedCredentials('a.example', user, [], T0), VaultQuotaError);
  } finally {
    restore();
  }
  for (const id of ids) assert.equal((await vault.get(id))!.hidden, null);
  vault.close();
});

test('signal actions check their arguments', async () => {
  const { vault } = await signalVault('signal-args');
  await assert.rejects(vault.hideUnknownCredential('', 'AAAA', T0), VaultInputError);
  await assert.rejects(vault.applyAcceptedCredentials('a.example', 'AAAA', 'AAAA' as unknown as string[], T0), VaultInputError);
  await assert.rejects(vault.updateUserDetails('a.example', 'AAAA', 1 as unknown as string, 'x'), VaultInputError);
  vault.close();
});
