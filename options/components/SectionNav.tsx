/** Links to the page's sections: the passkey list can be long, the settings come after it. */
export function SectionNav() {
  return (
    <nav class="sections" aria-label="On this page">
      <a href="#passkeys">Your passkeys</a>
      <a href="#settings">Settings</a>
      <a href="#security">Security</a>
      <a href="#backup">Backup</a>
      <a href="#sync">Sync</a>
    </nav>
  );
}
