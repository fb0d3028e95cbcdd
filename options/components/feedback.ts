// What the backup section shows under its forms; ImportForm and ExportForm set it, BackupSection
// shows it. In a module of its own so that the forms do not import the section that holds them.
import type { ExchangeProgress } from '../../src/messages/exchange';

export interface Feedback {
  status?: string;
  alert?: string;
  progress?: ExchangeProgress | null;
  /** Entries left out (an export) or skipped (an import), each with its reason. */
  details?: { name: string; reason: string }[];
  lines?: string[];
}
