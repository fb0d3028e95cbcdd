import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PAIRING_SECRET_BYTES, PairingWordsError, WORDS, decodePairingWords, encodePairingWords } from './words';

test('the list has 256 distinct words, no two sharing their first four letters', () => {
  assert.equal(WORDS.length, 256);
  assert.equal(new Set(WORDS.map((w) => w.slice(0, 4))).size, 256);
  for (const w of WORDS) assert.match(w, /^[a-z]{3,8}$/);
});

test('any secret survives encoding: 17 words, back to the same bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: PAIRING_SECRET_BYTES, maxLength: PAIRING_SECRET_BYTES }), (s) => {
    const words = encodePairingWords(s);
    assert.equal(words.split(' ').length, 17);
    assert.deepEqual(decodePairingWords(words), s);
  }));
});

test('case, punctuation, line breaks and four-letter prefixes are accepted', () => {
  const s = Uint8Array.from({ length: 16 }, (_, i) => i * 13);
  const words = encodePairingWords(s).split(' ');
  const typed = words.map((w, i) => (i % 2 ? w.slice(0, 4).toUpperCase() : w)).join(',\n  ');
  assert.deepEqual(decodePairingWords(typed), s);
});

test('a wrong word, a swapped pair, a missing word are refused with a message naming the problem', () => {
  const s = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  const words = encodePairingWords(s).split(' ');
  assert.throws(() => decodePairingWords([...words.slice(0, 16)].join(' ')), /all 17 pairing words \(16 given\)/);
  assert.throws(() => decodePairingWords(['zebra', ...words.slice(1)].join(' ')), /Word 1 \("zebra"\)/);
  const swapped = [words[1], words[0], ...words.slice(2)].join(' ');
  assert.throws(() => decodePairingWords(swapped), (e: unknown) => e instanceof PairingWordsError && /do not add up/.test((e as Error).message));
});
