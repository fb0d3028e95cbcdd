// The window's first question to the background: what is this ceremony? Imported first by
// popup/index.tsx, so the message leaves before the rest of the bundle (Preact, the screens) is
// evaluated, and its round trip overlaps that work. The background has the answer ready: it started
// working it out while this window was being opened (src/background/windowMessages.ts, prepareView).
import type { CeremonyView } from '../src/messages/protocol';
import { send } from './api';

export const ceremonyId = location.hash.slice(1);
export const describing: Promise<CeremonyView | null> = send({ type: 'ceremony/describe', id: ceremonyId });
