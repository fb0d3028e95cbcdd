// Types for scripts/setup.mjs (plain Node, so it runs before node_modules exists).
export type NpmState = { ok: true } | { ok: false; reason: string };
interface LockPackage { version?: string; optional?: boolean; link?: boolean }
export function npmState(o: {
  nodeModules: { exists: boolean };
  lockMtimeMs: number;
  record: null | { mtimeMs: number; lock?: { packages?: Record<string, LockPackage> }; installed?: { packages?: Record<string, LockPackage> } };
}): NpmState;
export interface SetupFacts {
  purpose: 'start' | 'test';
  isRoot: boolean;
  hasApt: boolean;
  npm: NpmState;
  nodeModulesIsLink: boolean;
  browsers: { package: string; env: string; path: string; fromEnv: boolean; exists: boolean; neededBy: string[] }[];
  installedDebs: Set<string> | null;
}
export interface SetupStep { what: string; command: string[]; env?: Record<string, string> }
export function planSetup(facts: SetupFacts): { steps: SetupStep[]; problems: string[] };
export function gatherFacts(purpose: 'start' | 'test'): SetupFacts;
