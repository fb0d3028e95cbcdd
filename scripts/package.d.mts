// Types for scripts/package.mjs.
export interface LintMessage { code: string; message: string; description?: string; file?: string }
export interface LintReport { errors: LintMessage[]; warnings: LintMessage[]; notices: LintMessage[] }
export function archiveName(browser: 'chrome' | 'firefox', version?: string): string;
export function packageExtensions(o?: { outDir?: string; workDir?: string }): Promise<Record<'chrome' | 'firefox', { archive: string; unpacked: string }>>;
export function lintFirefox(dir: string): LintReport;
export function explainedWarnings(markdown?: string): Set<string>;
export function lintProblems(report: LintReport, explained?: Set<string>): string[];
export function sha256(file: string): string;
