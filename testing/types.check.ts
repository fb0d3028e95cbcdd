// Compile-time check (npm run typecheck): the fixture's public types (./types.ts) are the same as the
// background's, in both directions. Not part of the package; it only fails the type-check on drift.
import type { ImportPasskey as SrcImportPasskey, ScriptedAnswer as SrcScriptedAnswer } from '../src/background/automation';
import type { LastCeremony as SrcLastCeremony } from '../src/background/lastCeremony';
import type { Settings as SrcSettings } from '../src/messages/manage';
import type { PasskeySummary as SrcPasskeySummary } from '../src/vault/vault';
import type { ImportPasskey, LastCeremony, PasskeySummary, ScriptedAnswer, Settings } from './types.js';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export const typesAgree: [
  Same<ScriptedAnswer, SrcScriptedAnswer>,
  Same<ImportPasskey, SrcImportPasskey>,
  Same<PasskeySummary, SrcPasskeySummary>,
  Same<LastCeremony, SrcLastCeremony>,
  Same<Settings, SrcSettings>,
] = [true, true, true, true, true];
