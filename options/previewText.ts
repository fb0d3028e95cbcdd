// An import's preview as sentences a person reads (shown above "Confirm import").
import type { ExchangePreview } from '../src/messages/exchange';

const count = (n: number, one: string, many: string) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** What the preview says, sentence by sentence. */
export function describePreview(p: ExchangePreview): string[] {
  const lines = [`This file holds ${count(p.total, 'passkey', 'passkeys')} Latchkey can use, for ${count(p.sites.length, 'site', 'sites')}.`];
  lines.push(p.added === 0 ? 'None of them is new.' : `${count(p.added, 'is', 'are')} new and will be added.`);
  if (p.unchanged > 0) lines.push(`${count(p.unchanged, 'is', 'are')} already in Latchkey and will be left as ${p.unchanged === 1 ? 'it is' : 'they are'}.`);
  if (p.conflicts.length > 0) {
    lines.push(`${count(p.conflicts.length, 'has', 'have')} the same id as a different passkey in Latchkey: Latchkey keeps its own and will not save ${p.conflicts.length === 1 ? 'that one' : 'those'} (${p.conflicts.map((c) => `${c.name} at ${c.rpId}`).join(', ')}).`);
  }
  if (p.duplicatesInFile > 0) lines.push(`${count(p.duplicatesInFile, 'entry appears', 'entries appear')} twice in the file; the first is taken.`);
  if (p.skipped.length > 0) lines.push(`${count(p.skipped.length, 'entry', 'entries')} cannot be imported:`);
  return lines;
}
