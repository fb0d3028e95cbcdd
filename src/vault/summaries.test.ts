// Lists (summaries.ts): listPage reads the list site by site, whole sites only, no repeats.
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VaultInputError } from './errors.js';
import { openCheap, samplePasskey } from './testFixtures.js';

test('listPage: pages of whole sites in RP ID order; all pages together are the whole list, once each', async () => {
  const { vault } = await openCheap('pages');
  const key = await vault.initialize('1234');
  // Sizes per site: one site larger than a page, a site whose name is a prefix of another.
  const sites: Array<[string, number]> = [['a.com', 1], ['a.com.au', 2], ['big.example', 7], ['c.example', 1], ['d.example', 3]];
  for (const [rpId, n] of sites) for (let i = 0; i < n; i++) {
    const s = samplePasskey({ rpId });
    await vault.addPasskey(key, s.passkey, s.privateKey);
  }
  const pages = [];
  let after: string | null = null;
  do {
    const page = await vault.listPage(after, 3);
    pages.push(page.passkeys.map((p) => p.rpId));
    after = page.next;
  } while (after !== null);
  assert.deepEqual(pages, [
    ['a.com', 'a.com.au', 'a.com.au'],
    ['big.example', 'big.example', 'big.example', 'big.example', 'big.example', 'big.example', 'big.example'],
    ['c.example', 'd.example', 'd.example', 'd.example'],
    [],
  ]);
  const all = (await vault.listAll()).map((p) => p.credentialId).sort();
  const paged: string[] = [];
  after = null;
  do {
    const page = await vault.listPage(after, 2);
    paged.push(...page.passkeys.map((p) => p.credentialId));
    assert.ok(page.passkeys.every((p) => !('wrappedPrivateKey' in p)));
    after = page.next;
  } while (after !== null);
  assert.deepEqual(paged.sort(), all);
  assert.deepEqual((await vault.listPage(null, 100)).next, null, 'one page holds everything');
  await assert.rejects(vault.listPage(null, 0), VaultInputError);
  await assert.rejects(vault.listPage(5 as unknown as string, 10), VaultInputError);
  vault.close();
});
