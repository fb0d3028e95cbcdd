// The pairing secret as words a person can read out and type: 16 random bytes, one word per byte,
// and a 17th word that is the first byte of SHA-256 of the 16 (a typo is caught on the device,
// before the server is asked). The list is Latchkey's own: 256 everyday English words, no two
// sharing their first four letters, so a word may be typed by its first four letters.
import { sha256 } from '@noble/hashes/sha2.js';

export const PAIRING_SECRET_BYTES = 16;

/** Thrown for words that cannot be a pairing secret; the message says which word, for a person. */
export class PairingWordsError extends Error {
  override name = 'PairingWordsError';
}

export const WORDS: readonly string[] = [
  'acid', 'acorn', 'actor', 'adobe', 'agent', 'alarm', 'album', 'alley', 'amber', 'anchor', 'angle',
  'ankle', 'apple', 'april', 'arch', 'arena', 'armor', 'arrow', 'ashes', 'atlas', 'attic', 'aunt',
  'autumn', 'avenue', 'awake', 'axis', 'bacon', 'badge', 'bagel', 'baker', 'bamboo', 'banjo', 'barn',
  'basil', 'beach', 'bean', 'bell', 'bench', 'berry', 'bike', 'birch', 'bison', 'blade', 'blanket',
  'bloom', 'board', 'boat', 'bolt', 'bone', 'book', 'boot', 'bottle', 'bowl', 'brain', 'brick',
  'bridge', 'broom', 'brush', 'bubble', 'bucket', 'bugle', 'bulb', 'bunny', 'butter', 'cabin', 'cable',
  'cactus', 'cake', 'camel', 'camp', 'canal', 'candy', 'canoe', 'canyon', 'cape', 'car', 'carpet',
  'castle', 'cat', 'cave', 'cedar', 'celery', 'cello', 'chain', 'chalk', 'cheese', 'cherry', 'chess',
  'chimney', 'chip', 'cider', 'cinema', 'circle', 'city', 'clam', 'cliff', 'clock', 'cloud', 'clover',
  'coach', 'coast', 'cobra', 'cocoa', 'coffee', 'coin', 'comet', 'copper', 'coral', 'corn', 'cotton',
  'couch', 'cousin', 'cove', 'cowboy', 'crab', 'crane', 'crayon', 'creek', 'crown', 'cube', 'cup',
  'daisy', 'dance', 'delta', 'denim', 'desert', 'desk', 'diamond', 'dinner', 'dish', 'doctor', 'dog',
  'donkey', 'door', 'dragon', 'drum', 'duck', 'dune', 'eagle', 'earth', 'echo', 'eel', 'egg', 'elbow',
  'elm', 'ember', 'engine', 'eraser', 'falcon', 'farm', 'feather', 'fence', 'fern', 'ferry', 'fiddle',
  'field', 'fig', 'film', 'finger', 'fire', 'fish', 'flag', 'flame', 'flute', 'foam', 'fog', 'forest',
  'fossil', 'fox', 'frog', 'fruit', 'galaxy', 'garden', 'garlic', 'gate', 'gecko', 'giant', 'ginger',
  'glacier', 'glass', 'globe', 'glove', 'goat', 'gold', 'goose', 'grape', 'grass', 'gravel', 'guitar',
  'hammer', 'harbor', 'harp', 'hat', 'hazel', 'heart', 'helmet', 'hero', 'hill', 'hippo', 'honey',
  'hook', 'horse', 'hotel', 'house', 'ice', 'igloo', 'island', 'ivory', 'jacket', 'jaguar', 'jam',
  'jar', 'jeans', 'jelly', 'jet', 'jewel', 'judge', 'juice', 'jungle', 'kayak', 'kettle', 'key',
  'kite', 'kitten', 'kiwi', 'knee', 'knife', 'koala', 'ladder', 'lake', 'lamp', 'lemon', 'leopard',
  'letter', 'lily', 'lime', 'lion', 'lizard', 'lock', 'lotus', 'magnet', 'mango', 'maple', 'marble',
  'market', 'mask', 'meadow', 'melon', 'mint', 'mirror', 'monkey', 'moon', 'moose', 'motor', 'mouse',
  'mug',
];

const BY_PREFIX = new Map<string, number>(WORDS.map((w, i) => [w.slice(0, 4), i]));

/** 16 bytes -> 17 words, separated by single spaces. */
export function encodePairingWords(secret: Uint8Array): string {
  if (!(secret instanceof Uint8Array) || secret.length !== PAIRING_SECRET_BYTES) {
    throw new TypeError(`"secret" expected Uint8Array of length ${PAIRING_SECRET_BYTES}`);
  }
  return [...secret, sha256(secret)[0]!].map((b) => WORDS[b]!).join(' ');
}

/**
 * Words -> the 16 bytes. Case, extra spaces, commas, hyphens and line breaks are ignored; a word
 * may be given by its first four letters (or whole, when shorter).
 * @throws PairingWordsError naming the word that is not in the list, a wrong count, or a bad checksum.
 */
export function decodePairingWords(text: string): Uint8Array {
  if (typeof text !== 'string') throw new PairingWordsError('Enter the pairing words.');
  const words = text.toLowerCase().split(/[\s,;.-]+/).filter(Boolean);
  if (words.length !== PAIRING_SECRET_BYTES + 1) {
    throw new PairingWordsError(`Enter all ${PAIRING_SECRET_BYTES + 1} pairing words (${words.length} given).`);
  }
  const bytes = words.map((w, i) => {
    const b = BY_PREFIX.get(w.slice(0, 4));
    if (b === undefined || !WORDS[b]!.startsWith(w)) throw new PairingWordsError(`Word ${i + 1} ("${w}") is not one of the pairing words. Check its spelling.`);
    return b;
  });
  const secret = Uint8Array.from(bytes.slice(0, PAIRING_SECRET_BYTES));
  if (sha256(secret)[0] !== bytes[PAIRING_SECRET_BYTES]) {
    throw new PairingWordsError('The pairing words do not add up: one of them is wrong or out of order. Check them on your first device.');
  }
  return secret;
}
