import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkGrant, labelFor, NAMING_WINDOW_MS, suggestName, type NamingGrant } from './namingGrant';

const grant: NamingGrant = { ceremonyId: 'c1', credentialId: 'cred', rpId: 'example.com', windowId: 7, until: 1000 + NAMING_WINDOW_MS, suggestedName: 'ann@example.com' };

test('the grant allows the same ceremony, from its own window, in time', () => {
  assert.deepEqual(checkGrant(grant, { ceremonyId: 'c1', windowId: 7, now: 1000 }), { ok: true, grant });
  assert.equal(checkGrant(grant, { ceremonyId: 'c1', windowId: 7, now: grant.until }).ok, true);
});

test('another ceremony, another window, no window, no grant, or too late: refused with a reason', () => {
  for (const [g, who] of [
    [grant, { ceremonyId: 'c2', windowId: 7, now: 1000 }],
    [grant, { ceremonyId: 'c1', windowId: 8, now: 1000 }],
    [grant, { ceremonyId: 'c1', windowId: undefined, now: 1000 }],
    [undefined, { ceremonyId: 'c1', windowId: 7, now: 1000 }],
    [grant, { ceremonyId: 'c1', windowId: 7, now: grant.until + 1 }],
  ] as const) {
    const r = checkGrant(g, who);
    assert.equal(r.ok, false, JSON.stringify(who));
    assert.ok(!r.ok && r.reason.length > 0);
  }
  const late = checkGrant(grant, { ceremonyId: 'c1', windowId: 7, now: grant.until + 1 });
  assert.match(!late.ok ? late.reason : '', /Manage passkeys/);
});

test('the suggestion: the user name, else the display name, else the site', () => {
  assert.equal(suggestName({ name: ' ann@example.com ', displayName: 'Ann' }, 'example.com'), 'ann@example.com');
  assert.equal(suggestName({ name: '', displayName: 'Ann' }, 'example.com'), 'Ann');
  assert.equal(suggestName({ name: ' ', displayName: '' }, 'example.com'), 'example.com');
});

test('an empty name or the unchanged suggestion stores no label (the user name shows); anything else is kept', () => {
  assert.equal(labelFor('', grant), null);
  assert.equal(labelFor('  ', grant), null);
  assert.equal(labelFor(' ann@example.com', grant), null);
  assert.equal(labelFor('Work laptop', grant), 'Work laptop');
});
