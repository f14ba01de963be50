// Resolves with true once the page has received an answer to a request whose URL contains `part`
// (a PerformanceObserver, not a timer): for answers that change nothing on screen.
(part) => new Promise((resolve) => {
  const seen = () => performance.getEntriesByType("resource").some((e) => e.name.includes(part));
  if (seen()) return resolve(true);
  new PerformanceObserver((list, observer) => seen() && (observer.disconnect(), resolve(true))).observe({ type: "resource" });
})
