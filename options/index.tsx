// The manage page (the extension's options page, also opened as a tab): passkeys, settings,
// security and backup. It knows names, sites and dates only; private keys stay in the background.
import { render } from 'preact';
import { App } from './App';
import { translateStatic } from '../ui/i18n';

translateStatic(); // the page's title and lang

render(<App />, document.getElementById('app')!);
