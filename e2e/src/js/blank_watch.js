// Installed before the page loads: records in `__chaosBlank` every frame with no text at all once
// the page had shown some. A change is judged at the frame after it: the app passes through empty
// states between two frames, which no visitor sees. Before its first text the page is not blank
// but not yet there (Chromium may run a frame while the parser has just opened `<body>`, seen at
// 164 ms under load); how soon it is there is the chaos run's `answered` check's.
() => {
  window.__chaosBlank = [];
  let pending = false, shown = false;
  const check = () => {
    pending = false;
    if (!document.body) return;
    const empty = document.body.innerText.trim() === "";
    if (empty && shown) window.__chaosBlank.push(performance.now());
    shown = shown || !empty;
  };
  const atNextFrame = () => {
    if (!pending) { pending = true; requestAnimationFrame(check); }
  };
  new MutationObserver(atNextFrame).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
}
