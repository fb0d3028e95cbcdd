/** Not initialized: there is nothing to lock yet. */
export function NoPinYet() {
  return (
    <div class="card">
      <p><strong>No PIN is set yet.</strong> Latchkey has no passkeys so far.</p>
      <p class="muted">The first time you save a passkey in Latchkey, it asks you to choose the PIN that locks all your passkeys. Come back here afterwards to see and manage them.</p>
    </div>
  );
}
