// Resolves with { ok: true, value } the moment the condition is truthy — re-checked on every DOM
// mutation, never on a timer — or with { ok: false, text } after the limit, which only bounds a
// failing test. The harness writes the condition and the limit in before it runs this.
new Promise((resolve) => {
  let observer, timer;
  const check = () => {
    let value;
    try { value = (CONDITION); } catch (e) { value = undefined; }
    if (value) { observer.disconnect(); clearTimeout(timer); resolve({ ok: true, value }); }
    return !!value;
  };
  observer = new MutationObserver(check);
  timer = setTimeout(() => {
    observer.disconnect();
    resolve({ ok: false, text: document.body ? document.body.innerText : "" });
  }, LIMIT_MS);
  if (!check()) observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})
