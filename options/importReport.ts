// An import's outcome as sentences a person reads (the report shown in role=status).
import type { ImportReport } from '../src/messages/manage';

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

export function describeImport(r: ImportReport): string[] {
  const lines: string[] = [];
  lines.push(r.added === 0 ? 'No new passkeys were added.' : `Added ${count(r.added, 'passkey', 'passkeys')}.`);
  if (r.unchanged > 0) lines.push(`${count(r.unchanged, 'passkey was', 'passkeys were')} already in Latchkey.`);
  if (r.conflicts > 0) {
    lines.push(`${count(r.conflicts, 'passkey differs', 'passkeys differ')} from the one with the same id in Latchkey: Latchkey kept its own, nothing was overwritten.`);
  }
  if (r.skipped.length > 0) lines.push(`Skipped ${count(r.skipped.length, 'entry', 'entries')}:`);
  return lines;
}
