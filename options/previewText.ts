// An import's preview as sentences a person reads (shown above "Confirm import").
import type { ExchangePreview } from '../src/messages/exchange';
import { plural, t } from '../ui/i18n';

/** What the preview says, sentence by sentence. */
export function describePreview(p: ExchangePreview): string[] {
  const lines = [plural('previewHolds', p.total, plural('siteCount', p.sites.length))];
  lines.push(p.added === 0 ? t('previewNoneNew') : plural('previewAdded', p.added));
  if (p.unchanged > 0) lines.push(plural('previewUnchanged', p.unchanged));
  if (p.conflicts.length > 0) {
    const which = p.conflicts.map((c) => t('previewConflictItem', c.name, c.rpId)).join(', ');
    lines.push(plural('previewConflicts', p.conflicts.length, which));
  }
  if (p.duplicatesInFile > 0) lines.push(plural('previewDuplicates', p.duplicatesInFile));
  if (p.skipped.length > 0) lines.push(plural('previewSkipped', p.skipped.length));
  return lines;
}
