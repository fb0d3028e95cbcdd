// The ceremony window's only way to the background: typed runtime messages (src/messages/protocol).
import type browser from 'webextension-polyfill';
import { runtime } from './runtime';
import { WINDOW_PORT, type UItoBG, type UItoBGAnswers } from '../src/messages/protocol';

export function send<T extends UItoBG>(msg: T): Promise<UItoBGAnswers[T['type']]> {
  return runtime.sendMessage(msg) as Promise<UItoBGAnswers[T['type']]>;
}

/**
 * Keeps the background awake while the person reads or types, and reconnects if the worker was
 * stopped anyway (the ceremony itself survives that: src/background/ceremonies.ts).
 */
export function keepBackgroundAwake(): void {
  let port: browser.Runtime.Port | null = null;
  const open = () => {
    port = runtime.connect({ name: WINDOW_PORT });
    port.onDisconnect.addListener(() => { port = null; });
  };
  open();
  setInterval(() => {
    try { if (!port) open(); port?.postMessage('ping'); } catch { port = null; }
  }, 20_000);
}
