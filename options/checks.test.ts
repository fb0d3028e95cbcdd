import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkNewPin, checkPassphrase, parseSiteInput } from './checks';

test('a new PIN needs 4 characters and the same confirmation', () => {
  assert.match(checkNewPin('123', '123')!, /at least 4/);
  assert.match(checkNewPin('1234', '1235')!, /not the same/);
  assert.equal(checkNewPin('1234', '1234'), null);
});

test('a backup passphrase needs 8 characters and the same confirmation', () => {
  assert.match(checkPassphrase('1234567', '1234567')!, /at least 8/);
  assert.match(checkPassphrase('12345678', '12345679')!, /not the same/);
  assert.equal(checkPassphrase('correct horse', 'correct horse'), null);
});

test('accepts host names, lower-cased and trimmed', () => {
  assert.deepEqual(parseSiteInput('  Example.COM '), { ok: true, site: 'example.com' });
  assert.deepEqual(parseSiteInput('login.example.co.uk.'), { ok: true, site: 'login.example.co.uk' });
  assert.deepEqual(parseSiteInput('localhost'), { ok: true, site: 'localhost' });
});

test('takes the host name of a pasted address', () => {
  assert.deepEqual(parseSiteInput('https://accounts.example.com/login?x=1'), { ok: true, site: 'accounts.example.com' });
  assert.deepEqual(parseSiteInput('http://localhost:8080/'), { ok: true, site: 'localhost' });
});

test('international names become their A-label form', () => {
  assert.deepEqual(parseSiteInput('bücher.example'), { ok: true, site: 'xn--bcher-kva.example' });
});

test('refuses what is not a host name', () => {
  for (const bad of ['', '   ', 'exa mple.com', '-bad.com', 'bad-.com', 'a..b', 'user@example.com', 'example.com/path', '*.example.com', '[::1]', 'x'.repeat(64) + '.com']) {
    const r = parseSiteInput(bad);
    assert.equal(r.ok, false, bad);
  }
});

test('refuses a site already in the list', () => {
  const r = parseSiteInput('Example.com', ['example.com']);
  assert.deepEqual(r, { ok: false, problem: 'example.com is already in the list.' });
});
