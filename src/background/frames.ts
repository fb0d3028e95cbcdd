// Gathers what src/client/judgeFrame.ts needs to decide whether a frame may make its request (see
// there for the spec steps and where each fact comes from), and asks it.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { originOf } from '../client/containerPolicy';
import { judgeFrame, type Ancestry, type FrameVerdict } from '../client/judgeFrame';
import { CONTAINER_QUERY, type ContainerAnswer, type ContainerQuery, type FrameFacts } from '../messages/protocol';
import { parseContainerAnswer } from '../messages/validate';

export type { FrameVerdict };

const MAX_DEPTH = 32;

/** Firefox: walk up from the caller, asking each parent frame's content script about its child. */
async function askAncestry(tabId: number, frameId: number, parentFrameId: number | null): Promise<Ancestry | null> {
  const ancestry: Ancestry = [];
  let child = frameId;
  let parent = parentFrameId;
  while (parent !== null && ancestry.length < MAX_DEPTH) {
    const query: ContainerQuery = { kind: CONTAINER_QUERY, childFrameId: child };
    let answer: ContainerAnswer;
    try {
      answer = parseContainerAnswer(await browser.tabs.sendMessage(tabId, query, { frameId: parent }));
    } catch {
      return null; // no Latchkey in that frame (not a page it serves), or it went away
    }
    ancestry.push({ origin: answer.origin, container: answer.container });
    if (parent === 0) return ancestry;
    child = parent;
    parent = answer.parentFrameId;
  }
  return null;
}

/** The tab's top-level origin, by its URL: the last few parsed are kept (a page asks again and again). */
const tabOrigins = new Map<string, string | null>();
function tabOriginOf(url: string): string | null {
  let o = tabOrigins.get(url);
  if (o === undefined) {
    o = originOf(url);
    if (tabOrigins.size >= 16) tabOrigins.delete(tabOrigins.keys().next().value!);
    tabOrigins.set(url, o);
  }
  return o;
}

/** Decides for the frame on the other end of a ceremony port. */
export async function frameVerdict(
  op: 'create' | 'get', sender: Browser.Runtime.MessageSender, origin: string, facts: FrameFacts,
): Promise<FrameVerdict> {
  const frameId = sender.frameId ?? 0;
  const tabOrigin = sender.tab?.url ? tabOriginOf(sender.tab.url) : null;
  const tabId = sender.tab?.id;
  // The browser's own verdict is missing (Firefox): the parents tell what their elements say.
  const ancestry = frameId !== 0 && facts.policy === null && tabId !== undefined
    ? await askAncestry(tabId, frameId, facts.parentFrameId)
    : null;
  return judgeFrame({ op, frameId, origin, tabOrigin, facts }, ancestry);
}
