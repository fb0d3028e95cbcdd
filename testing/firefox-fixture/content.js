// Content script on http://localhost/*: `?fixture=<action>&value=<v>` asks the background to do
// <action> and shows the answer as JSON in <pre id="fixture-result">.
(async () => {
  const q = new URLSearchParams(location.search);
  const action = q.get('fixture');
  document.documentElement.dataset.fixtureContent = 'ready';
  if (!action) return;
  const out = document.createElement('pre');
  out.id = 'fixture-result';
  try {
    const answer = await browser.runtime.sendMessage({ type: action, value: q.get('value') });
    out.textContent = JSON.stringify({ ok: true, answer });
  } catch (e) {
    out.textContent = JSON.stringify({ ok: false, error: String(e?.message) });
  }
  document.body.append(out);
})();
