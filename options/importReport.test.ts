import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeImport } from './importReport';

test('describes what was added, already there, kept and skipped', () => {
  assert.deepEqual(describeImport({ added: 3, unchanged: 1, conflicts: 2, skipped: [{ name: 'x', reason: 'y' }] }), [
    'Added 3 passkeys.',
    '1 passkey was already in Latchkey.',
    '2 passkeys differ from the one with the same id in Latchkey: Latchkey kept its own, nothing was overwritten.',
    'Skipped 1 entry:',
  ]);
});

test('says so when nothing was added', () => {
  assert.deepEqual(describeImport({ added: 0, unchanged: 0, conflicts: 0, skipped: [] }), ['No new passkeys were added.']);
  assert.deepEqual(describeImport({ added: 1, unchanged: 1200, conflicts: 0, skipped: [] }), ['Added 1 passkey.', '1,200 passkeys were already in Latchkey.']);
});
