// Copy buttons: the page works without this; with it, one click copies a key or a command.
document.addEventListener('click', (ev) => {
  const b = ev.target.closest('button.copy');
  if (!b) return;
  const el = document.getElementById(b.dataset.copy);
  if (!el || !navigator.clipboard) return;
  navigator.clipboard.writeText(el.innerText.trim()).then(() => {
    b.textContent = 'Copied';
    setTimeout(() => { b.textContent = 'Copy'; }, 1500);
  });
});
