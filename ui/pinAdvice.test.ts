import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeGuessTime, estimateGuesses, weakPinWarning } from './pinAdvice';

test('the guesses a PIN of each kind allows: digits, letters, mixed, passphrases', () => {
  assert.equal(estimateGuesses('1234'), 1e4);
  assert.equal(estimateGuesses('123456'), 1e6);
  assert.equal(estimateGuesses('abcd'), 27 ** 4);
  assert.equal(estimateGuesses('Ab3d'), 63 ** 4);
  assert.equal(estimateGuesses('e\u0301t\u00e9'), 200 ** 3, 'counted after NFC');
});

test('short PINs are warned about with the time a copy of the profile holds; long ones are not', () => {
  const four = weakPinWarning('4827');
  assert.ok(four && /about 58 minutes on one computer/.test(four), String(four));
  assert.match(weakPinWarning('482710') ?? '', /about 4 days/);
  assert.match(weakPinWarning('48271093') ?? '', /about 1 year/);
  assert.equal(weakPinWarning('correct horse battery staple'), null);
  assert.equal(weakPinWarning('Tr4in-Sp0t'), null);
  assert.equal(weakPinWarning('12'), null, 'under 4 characters the form refuses it anyway');
  assert.equal(describeGuessTime(1), 'under a second');
});
