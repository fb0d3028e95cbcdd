// The ceremony window: "where to save your passkey" and "which passkey to sign in with".
// It knows only names, ids and dates; every decision is the background's.
import { render } from 'preact';
import { keepBackgroundAwake } from './api';
import { App } from './App';

const id = location.hash.slice(1);
keepBackgroundAwake();
render(<App id={id} />, document.getElementById('app')!);
