// The Vault facade: what it keeps across close and reopen, and its public surface (other parts of
// Latchkey are written against these method names).
import 'fake-indexeddb/auto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Vault } from './vault.js';
import { VaultStateError } from './errors.js';
import { CHEAP_KDF, samplePasskey, T0, openCheap } from './testFixtures.js';

test('passkeys and the PIN persist across close and reopen', async () => {
  const { vault, dbName } = await openCheap('persist');
  const key = await vault.initialize('1234');
  const { passkey, privateKey } = samplePasskey();
  await vault.addPasskey(key, passkey, privateKey);
  vault.close();
  await assert.rejects(vault.listAll(), (e: unknown) => e instanceof VaultStateError && e.code === 'db-closed');
  const again = await Vault.open({ dbName, kdf: CHEAP_KDF });
  const key2 = await again.unlock('1234', T0);
  assert.deepEqual(key2, key);
  assert.equal((await again.listAll()).length, 1);
  assert.deepEqual(await again.unwrapPrivateKey(key2, passkey.credentialId), privateKey);
  again.close();
});

test('the facade keeps every method and re-export Latchkey was written against before the split', async () => {
  const methods = ['addPasskey', 'applyAcceptedCredentials', 'beginSigning', 'cachedSealedKeyId', 'changePin', 'close',
    'deleteAllPasskeys', 'deletePasskey', 'exportPasskeys', 'get', 'hideUnknownCredential', 'importPasskeys', 'initialize',
    'isInitialized', 'listAll', 'listByRpId', 'markUsed', 'recordLastUsed', 'renamePasskey', 'unhidePasskey', 'unlock',
    'unlockState', 'unwrapPrivateKey', 'updateUserDetails', 'useForSigning'];
  for (const m of methods) assert.equal(typeof (Vault.prototype as unknown as Record<string, unknown>)[m], 'function', m);
  assert.ok(Object.getOwnPropertyDescriptor(Vault.prototype, 'isClosed')?.get, 'isClosed getter');
  assert.equal(typeof Vault.open, 'function');
  const mod: Record<string, unknown> = await import('./vault.js');
  for (const name of ['DEFAULT_KDF', 'deriveKek', 'MAX_LABEL_CHARS', 'MIN_BACKUP_PASSPHRASE_CHARS', 'decryptBackup', 'encryptBackup',
    'parseBitwardenExport', 'VaultError', 'WrongPinError', 'TooSoonError', 'PinPolicyError', 'VaultKeyError', 'VaultStateError',
    'VaultInputError', 'VaultQuotaError', 'VaultVersionError', 'DuplicatePasskeyError', 'PasskeyNotFoundError', 'BackupPassphraseError',
    'BackupFormatError', 'BackupVersionError', 'BackupPassphrasePolicyError', 'formatWait']) {
    assert.ok(name in mod, name);
  }
});
