import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ManagedPasskey } from '../src/messages/manage';
import { countSites, filterPasskeys, groupBySite, indexPasskeys, neighbourAfterDelete, passkeyName, queryTerms } from './filterPasskeys';

let n = 0;
function pk(rpId: string, userName: string, extra: Partial<ManagedPasskey> = {}): ManagedPasskey {
  n += 1;
  return { credentialId: `id${n}`, rpId, userName, userDisplayName: '', label: null, createdAt: 1000 + n, lastUsedAt: null, hidden: null, ...extra };
}

const list = [
  pk('github.com', 'octo', { userDisplayName: 'Octo Cat' }),
  pk('example.com', 'alice@example.com', { label: 'Work laptop' }),
  pk('example.com', 'bob@example.com', { userDisplayName: 'Bob Builder' }),
  pk('accounts.test', 'carol'),
];

test('sorts sites alphabetically, then names', () => {
  const ids = indexPasskeys(list).map((e) => `${e.passkey.rpId}/${passkeyName(e.passkey)}`);
  assert.deepEqual(ids, ['accounts.test/carol', 'example.com/bob@example.com', 'example.com/Work laptop', 'github.com/octo']);
});

test('a site sorts before a longer site it is the start of, so each site stays one group', () => {
  const index = indexPasskeys([pk('a.com.au', 'x'), pk('a.com', 'zed'), pk('a.com', 'amy'), pk('a.co', 'q')]);
  assert.deepEqual(groupBySite(index.map((e) => e.passkey)).map((g) => [g.rpId, g.passkeys.map((p) => p.userName)]), [
    ['a.co', ['q']], ['a.com', ['amy', 'zed']], ['a.com.au', ['x']],
  ]);
});

test('same site and name: the oldest first', () => {
  const older = pk('s.test', 'same', { createdAt: 5 });
  const newer = pk('s.test', 'Same', { createdAt: 9 });
  assert.deepEqual(indexPasskeys([newer, older]).map((e) => e.passkey), [older, newer]);
});

test('an empty or blank query matches everything', () => {
  const index = indexPasskeys(list);
  assert.equal(filterPasskeys(index, '').length, 4);
  assert.equal(filterPasskeys(index, '   ').length, 4);
});

test('matches site, user name, display name and label, case-insensitively', () => {
  const index = indexPasskeys(list);
  const names = (q: string) => filterPasskeys(index, q).map((p) => p.userName);
  assert.deepEqual(names('GITHUB'), ['octo']);
  assert.deepEqual(names('Bob'), ['bob@example.com']);
  assert.deepEqual(names('builder'), ['bob@example.com']);
  assert.deepEqual(names('work LAPTOP'), ['alice@example.com']);
  assert.deepEqual(names('example'), ['bob@example.com', 'alice@example.com']);
  assert.deepEqual(names('nobody'), []);
});

test('every word must match, each in any field', () => {
  const index = indexPasskeys(list);
  assert.deepEqual(filterPasskeys(index, 'example alice').map((p) => p.userName), ['alice@example.com']);
  assert.deepEqual(filterPasskeys(index, 'github alice'), []);
});

test('a word does not match across two fields', () => {
  const index = indexPasskeys([pk('ab.test', 'cd')]);
  assert.deepEqual(filterPasskeys(index, 'testcd'), []);
  assert.deepEqual(queryTerms('  A  b '), ['a', 'b']);
});

test('the name is the label, else the user name', () => {
  assert.equal(passkeyName(pk('a.test', 'u', { label: 'Phone' })), 'Phone');
  assert.equal(passkeyName(pk('a.test', 'u', { label: '  ' })), 'u');
  assert.equal(passkeyName(pk('a.test', 'u')), 'u');
});

test('groups consecutive passkeys by site', () => {
  const groups = groupBySite(filterPasskeys(indexPasskeys(list), ''));
  assert.deepEqual(groups.map((g) => [g.rpId, g.passkeys.length]), [['accounts.test', 1], ['example.com', 2], ['github.com', 1]]);
  assert.equal(countSites(list), 3);
  assert.deepEqual(groupBySite([]), []);
});

test('focus after a delete goes to the next passkey, else the previous one', () => {
  const shown = filterPasskeys(indexPasskeys(list), '');
  const ids = shown.map((p) => p.credentialId);
  assert.equal(neighbourAfterDelete(shown, ids[1]!), ids[2]);
  assert.equal(neighbourAfterDelete(shown, ids[3]!), ids[2]);
  assert.equal(neighbourAfterDelete(shown.slice(0, 1), ids[0]!), null);
  assert.equal(neighbourAfterDelete(shown, 'missing'), null);
});

// Speed is measured in bench/manage.bench.ts (tests never assert on time); here only that a large
// index still finds the right one.
test('indexes and filters 10,000 passkeys', () => {
  const many = Array.from({ length: 10_000 }, (_, i) => pk(`site${i % 500}.example`, `user${i}@mail.test`, { userDisplayName: `User ${i}` }));
  const index = indexPasskeys(many);
  assert.equal(filterPasskeys(index, 'user9999').length, 1);
  assert.equal(filterPasskeys(index, 'user99').length, 111); // user99, user990-999, user9900-9999
  assert.equal(filterPasskeys(index, 'site42.example user').length, 20);
});
