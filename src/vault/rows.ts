// Writing a passkey's row: its record in "passkeys" and its summary in "summaries" (schema v4) go
// together, in the caller's one transaction, so the list the manage page reads never disagrees with
// the records (a failed write rolls both back). Every write to "passkeys" goes through here.
import type { IDBPTransaction } from 'idb';
import type { PasskeyRecord, PasskeySummary, VaultSchema } from './schema.js';

/** The stores a passkey write touches, for db.transaction(ROW_STORES, 'readwrite'). */
export const ROW_STORES = ['passkeys', 'summaries'] as const;

export type RowTx = IDBPTransaction<VaultSchema, ['passkeys', 'summaries'], 'readwrite'>;

/** The row without its wrapped private key: what is stored in "summaries" and what lists return. */
export function toSummary(r: PasskeyRecord): PasskeySummary {
  const { wrappedPrivateKey: _omitted, ...summary } = r;
  return { ...summary, label: summary.label ?? null, hidden: summary.hidden ?? null };
}

/** Adds a new passkey (ConstraintError if the credential id is taken: the summary add fails too). */
export function addRow(tx: RowTx, r: PasskeyRecord): Promise<unknown> {
  return Promise.all([tx.objectStore('passkeys').add(r), tx.objectStore('summaries').add(toSummary(r))]);
}

/** Writes an existing passkey back (renamed, used, hidden, ...). */
export function putRow(tx: RowTx, r: PasskeyRecord): Promise<unknown> {
  return Promise.all([tx.objectStore('passkeys').put(r), tx.objectStore('summaries').put(toSummary(r))]);
}

export function deleteRow(tx: RowTx, r: Pick<PasskeyRecord, 'credentialId' | 'rpId'>): Promise<unknown> {
  return Promise.all([tx.objectStore('passkeys').delete(r.credentialId), tx.objectStore('summaries').delete([r.rpId, r.credentialId])]);
}

export function clearRows(tx: RowTx): Promise<unknown> {
  return Promise.all([tx.objectStore('passkeys').clear(), tx.objectStore('summaries').clear()]);
}
