// Resolves with the image's natural width once it has loaded (0 if it failed) — on its own load or
// error event, never on a timer. The harness writes the selector in before it runs this.
new Promise((resolve) => {
  const image = document.querySelector(SELECTOR);
  if (image.complete) return resolve(image.naturalWidth);
  image.addEventListener("load", () => resolve(image.naturalWidth));
  image.addEventListener("error", () => resolve(0));
})
