export interface InterceptSettingProps {
  on: boolean;
  /** Saves a change; throws when it was not saved (the section shows why). */
  onChange: (interceptAll: boolean) => Promise<void>;
}

/**
 * Chrome only: Latchkey also takes the passkey requests that go past its page script (Chrome's
 * webAuthenticationProxy, src/background/proxy.ts). The cost, said plainly: while on, the browser's
 * own passkeys are not offered under sign-in fields.
 */
export function InterceptSetting({ on, onChange }: InterceptSettingProps) {
  return (
    <fieldset class="field" aria-describedby="intercept-hint">
      <legend>Every passkey request</legend>
      <label class="check">
        <input type="checkbox" checked={on} onChange={(e) => { onChange(e.currentTarget.checked).catch(() => { /* shown by the section */ }); }} />
        Answer every passkey request in Chrome, also from pages that go around Latchkey
      </label>
      <p id="intercept-hint" class="muted hint">
        While this is on, Chrome's own saved passkeys are not offered under sign-in fields; “Use another device or security key” still reaches Chrome's own dialog.
      </p>
    </fieldset>
  );
}
