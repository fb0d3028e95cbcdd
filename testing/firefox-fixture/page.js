const status = document.getElementById('status');
document.getElementById('approve').addEventListener('click', async (e) => {
  const note = document.getElementById('note').value;
  status.textContent = `approving ${note}`;
  await browser.runtime.sendMessage({ type: 'clicked', isTrusted: e.isTrusted, note, close: true });
});
document.getElementById('stay').addEventListener('click', async (e) => {
  const note = document.getElementById('note').value;
  const r = await browser.runtime.sendMessage({ type: 'clicked', isTrusted: e.isTrusted, note, close: false });
  status.textContent = `clicked ${r.count} note=${note}`;
});
