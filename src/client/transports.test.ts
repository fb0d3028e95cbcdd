import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedIds, namesOtherAuthenticators } from './transports';

const d = (id: string, transports?: string[], type = 'public-key') => ({ type, id, ...(transports ? { transports } : {}) });

test('every public-key entry may be Latchkey\'s, whatever its transports hint (§5.8.3: hints, not a filter)', () => {
  const ids = allowedIds([
    d('none'), d('empty', []), d('internal', ['internal']), d('hybrid', ['hybrid', 'internal']),
    d('usb', ['usb']), d('others', ['usb', 'nfc', 'ble', 'smart-card', 'hybrid']), d('future', ['some-future-transport']),
  ]);
  assert.deepEqual([...ids].sort(), ['empty', 'future', 'hybrid', 'internal', 'none', 'others', 'usb']);
});

test('entries of another credential type are skipped', () => {
  assert.deepEqual([...allowedIds([d('x', undefined, 'other'), d('y')])], ['y']);
});

test('the list names other authenticators when some public-key entry is not Latchkey\'s', () => {
  const allow = [d('mine', ['usb']), d('key', ['usb', 'nfc'])];
  assert.equal(namesOtherAuthenticators(allow, new Set(['mine'])), true);
  assert.equal(namesOtherAuthenticators(allow, new Set(['mine', 'key'])), false);
  assert.equal(namesOtherAuthenticators([d('mine'), d('x', undefined, 'other')], new Set(['mine'])), false, 'another type is not a passkey elsewhere');
  assert.equal(namesOtherAuthenticators([], new Set()), false);
});
