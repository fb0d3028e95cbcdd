import type { ImportReport } from '../../src/messages/manage';
import { ExportForm } from './ExportForm';
import { ImportForm } from './ImportForm';

export interface BackupSectionProps {
  /** Resolves with the encrypted backup file (the PIN is asked again: every private key leaves the vault). */
  onExport: (passphrase: string, pin: string) => Promise<{ fileName: string; content: string }>;
  onImport: (format: 'latchkey' | 'bitwarden', content: string, passphrase?: string) => Promise<ImportReport>;
}

/** "Backup": export all passkeys encrypted under a passphrase; import a backup or a Bitwarden export. */
export function BackupSection({ onExport, onImport }: BackupSectionProps) {
  return (
    <section id="backup" aria-labelledby="backup-h" class="card">
      <h2 id="backup-h">Backup</h2>
      <ExportForm onExport={onExport} />
      <ImportForm onImport={onImport} />
    </section>
  );
}
