// What release builds get instead of automation.ts (scripts/build.mjs resolves `./automation` here
// when it builds dist/chrome and dist/firefox): the same exports, so the background compiles
// unchanged, and none of them can answer a ceremony, open a route in, or read the test's stored
// choices. No ceremony is ever answered without the person: takeScriptedAnswer always says "no
// scripted answer", so every ceremony opens the window (docs/security/automation.md).
// Each export is typed as its twin in automation.ts, so the two cannot drift apart unnoticed.
import type * as Automation from './automation';

export const takeScriptedAnswer: typeof Automation.takeScriptedAnswer = async () => null;

export const answerScripted: typeof Automation.answerScripted = async () => {
  throw new Error('this build of Latchkey has no test automation');
};

export const prefetchAutomationState: typeof Automation.prefetchAutomationState = () => {};

/** No message is ever an automation call: the background treats it as it treats any other. */
export const isFromAutomationPage: typeof Automation.isFromAutomationPage = () => false;

export const onAutomationMessage: typeof Automation.onAutomationMessage = async () => ({ ok: false, error: 'no automation in this build' });

/** Installs nothing: the service worker has no `latchkeyAutomation` global. */
export const exposeAutomationGlobal: typeof Automation.exposeAutomationGlobal = () => {};
