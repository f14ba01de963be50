// Fetches `url`, which the page's policy must refuse, and resolves with the directive the browser
// reports violated (from the securitypolicyviolation event itself), or "fetched" if it was not
// refused. The violation is expected, so the harness's listener does not count it as a failure.
(url) => new Promise((resolve) => {
  window.__portierExpectedViolation = url;
  document.addEventListener("securitypolicyviolation", (e) => resolve(e.violatedDirective), { once: true });
  fetch(url).then(() => resolve("fetched"), () => {});
})
