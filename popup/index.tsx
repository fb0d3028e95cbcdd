// The ceremony window: "where to save your passkey" and "which passkey to sign in with".
// It knows only names, ids and dates; every decision is the background's.
import { render } from 'preact';
import { keepBackgroundAwake, send } from './api';
import { App } from './App';
import type { CeremonyView } from '../src/messages/protocol';

const id = location.hash.slice(1);
// Asked already by popup/early.js in <head> (the answer's round trip overlaps this script's loading
// and Preact's first render); asked here only if that script did not run.
const early = (globalThis as { latchkeyDescribe?: Promise<CeremonyView | null> }).latchkeyDescribe;
const view = early ?? send({ type: 'ceremony/describe', id });
keepBackgroundAwake();
render(<App id={id} view={view} />, document.getElementById('app')!);
