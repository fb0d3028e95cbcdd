import type { ImportReport } from '../../src/messages/manage';
import { describeImport } from '../importReport';

export interface ImportReportViewProps { report: ImportReport }

/** What an import did: added, already there, conflicts kept, and each skipped entry with its reason. */
export function ImportReportView({ report }: ImportReportViewProps) {
  return (
    <div class="report">
      {describeImport(report).map((line) => <p key={line}>{line}</p>)}
      {report.skipped.length > 0 ? (
        <ul class="skipped">
          {report.skipped.map((s, i) => <li key={i}><strong>{s.name || 'Unnamed entry'}</strong>: {s.reason}</li>)}
        </ul>
      ) : null}
    </div>
  );
}
