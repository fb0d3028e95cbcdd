// What must happen before a page's call is handed to the browser's own create()/get(): in Chrome,
// with the webAuthenticationProxy attached, the proxy detaches first, or the hand-over would come
// straight back to Latchkey (proxy.ts). A hook, so that requests.ts need not import the proxy.
let hook: () => Promise<void> = async () => {};

export function setHandoverHook(f: () => Promise<void>): void { hook = f; }

export function beforeHandover(): Promise<void> {
  return hook().catch(() => { /* the hand-over goes ahead; at worst the proxy sees it (proxy.ts) */ });
}
