// The ceremony window's only way to the background: typed runtime messages (src/messages/protocol).
import browser from 'webextension-polyfill';
import { WINDOW_PORT, type UItoBG, type UItoBGAnswers } from '../src/messages/protocol';

export function send<T extends UItoBG>(msg: T): Promise<UItoBGAnswers[T['type']]> {
  return browser.runtime.sendMessage(msg) as Promise<UItoBGAnswers[T['type']]>;
}

/**
 * Keeps the background awake while the person reads or types, and reconnects if the worker was
 * stopped anyway (the ceremony itself survives that: src/background/ceremonies.ts).
 */
export function keepBackgroundAwake(): void {
  let port: browser.Runtime.Port | null = null;
  const open = () => {
    port = browser.runtime.connect({ name: WINDOW_PORT });
    port.onDisconnect.addListener(() => { port = null; });
  };
  open();
  setInterval(() => {
    try { if (!port) open(); port?.postMessage('ping'); } catch { port = null; }
  }, 20_000);
}
