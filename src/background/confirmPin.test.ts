// confirmPin against the background's own vault (fake-indexeddb, the real default KDF): a wrong PIN
// is counted by the same lockout as unlock, and the wait is said and kept.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmPin, PinNotConfirmedError } from './confirmPin';
import { vault } from './vaultInstance';

test('confirmPin: the right PIN passes; wrong ones are counted with unlock, then Latchkey makes the person wait', async () => {
  const v = await vault();
  (await v.initialize('2468')).fill(0);
  await confirmPin('2468');
  await assert.rejects(confirmPin(''), (e: unknown) => e instanceof PinNotConfirmedError && /Enter your Latchkey PIN/.test(e.message));
  assert.equal((await v.unlockState()).attempts, 0, 'an empty PIN is not a guess');
  for (let i = 1; i <= 3; i++) {
    await assert.rejects(confirmPin('0000'), (e: unknown) => e instanceof PinNotConfirmedError && e.message === 'Wrong PIN. Please try again.' && e.retryAfterMs === undefined);
    assert.equal((await v.unlockState()).attempts, i);
  }
  await assert.rejects(v.unlock('0000'), (e: unknown) => (e as { attempts?: number }).attempts === 4, 'unlock counts on from confirmPin');
  await assert.rejects(confirmPin('2468'), (e: unknown) =>
    e instanceof PinNotConfirmedError && /Too many wrong PINs: try again in \d+ seconds/.test(e.message) && e.retryAfterMs! > 0 && e.retryAfterMs! <= 30_000);
  assert.equal((await v.unlockState()).attempts, 4, 'not checked while waiting');
});
