import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describePreview } from './previewText';

test('the preview names what is new, already there, clashing, twice in the file, and skipped', () => {
  const lines = describePreview({
    total: 5, added: 2, unchanged: 1, duplicatesInFile: 1,
    conflicts: [{ name: 'ada', rpId: 'shop.example' }],
    sites: [{ rpId: 'shop.example', count: 3 }, { rpId: 'mail.example', count: 2 }],
    skipped: [{ name: 'x', reason: 'y' }],
  });
  assert.deepEqual(lines, [
    'This file holds 5 passkeys Latchkey can use, for 2 sites.',
    '2 are new and will be added.',
    '1 is already in Latchkey and will be left as it is.',
    '1 has the same id as a different passkey in Latchkey: Latchkey keeps its own and will not save that one (ada at shop.example).',
    '1 entry appears twice in the file; the first is taken.',
    '1 entry cannot be imported:',
  ]);
  assert.deepEqual(describePreview({ total: 1, added: 0, unchanged: 1, duplicatesInFile: 0, conflicts: [], sites: [{ rpId: 'a', count: 1 }], skipped: [] }).slice(0, 2),
    ['This file holds 1 passkey Latchkey can use, for 1 site.', 'None of them is new.']);
});
