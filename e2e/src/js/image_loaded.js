// Resolves with the natural width of the image `selector` matches once it has loaded (0 if it
// failed) — on its own load or error event, never on a timer.
(selector) => new Promise((resolve) => {
  const image = document.querySelector(selector);
  if (image.complete) return resolve(image.naturalWidth);
  image.addEventListener("load", () => resolve(image.naturalWidth));
  image.addEventListener("error", () => resolve(0));
})
