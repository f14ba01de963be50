// Resolves with { ok: true, value } the moment `condition()` is truthy — re-checked on every DOM
// mutation, never on a timer — or with { ok: false, text } after `limitMs`, which only bounds a
// failing test. A condition that throws is not yet true.
(condition, limitMs) => new Promise((resolve) => {
  let observer, timer;
  const check = () => {
    let value;
    try { value = condition(); } catch (e) { value = undefined; }
    if (value) { observer.disconnect(); clearTimeout(timer); resolve({ ok: true, value }); }
    return !!value;
  };
  observer = new MutationObserver(check);
  timer = setTimeout(() => {
    observer.disconnect();
    resolve({ ok: false, text: document.body ? document.body.innerText : "" });
  }, limitMs);
  if (!check()) observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})
