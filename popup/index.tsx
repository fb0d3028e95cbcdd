// The ceremony window: "where to save your passkey" and "which passkey to sign in with".
// It knows only names, ids and dates; every decision is the background's.
import { render } from 'preact';
import { keepBackgroundAwake, send } from './api';
import { App } from './App';

const id = location.hash.slice(1);
// Ask first, render second: the answer's round trip overlaps Preact's first render.
const view = send({ type: 'ceremony/describe', id });
keepBackgroundAwake();
render(<App id={id} view={view} />, document.getElementById('app')!);
