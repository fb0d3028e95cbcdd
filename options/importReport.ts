// An import's outcome as sentences a person reads (the report shown in role=status).
import type { ImportReport } from '../src/messages/manage';
import { plural, t } from '../ui/i18n';

export function describeImport(r: ImportReport): string[] {
  const lines: string[] = [];
  lines.push(r.added === 0 ? t('importAddedNone') : plural('importAdded', r.added));
  if (r.unchanged > 0) lines.push(plural('importUnchanged', r.unchanged));
  if (r.conflicts > 0) lines.push(plural('importConflicts', r.conflicts));
  if (r.skipped.length > 0) lines.push(plural('importSkipped', r.skipped.length));
  return lines;
}
