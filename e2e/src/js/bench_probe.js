// Installed by the benchmark before any page script runs (CDP, outside the page's policy). It only
// watches: times are `performance.now()` (navigation start = 0), taken when a change has been
// painted (the frame after the DOM change, then the task after that frame).
() => {
  const marks = {};
  const waiters = {};
  const mark = (name, time) => {
    marks[name] = time;
    for (const resolve of waiters[name] || []) resolve(time);
  };
  const afterPaint = (name) => {
    marks[name] = null;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => mark(name, performance.now());
      channel.port2.postMessage(0);
    });
  };
  // The app's module compiled and instantiated (the page's glue calls one of these once): what
  // the time after the wasm's arrival splits into, compiling it and running it.
  for (const name of ["instantiateStreaming", "instantiate"]) {
    const original = WebAssembly[name];
    WebAssembly[name] = (...args) =>
      original.apply(WebAssembly, args).then((result) => {
        if (!("wasmReady" in marks)) mark("wasmReady", performance.now());
        return result;
      });
  }
  // Main-thread tasks over 50 ms (what Lighthouse's Total Blocking Time adds up, past 50 ms each).
  const longTasks = [];
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) longTasks.push({ start: task.startTime, duration: task.duration });
  }).observe({ type: "longtask" });
  let searchTyped = null;
  addEventListener("click", (e) => (marks.click = e.timeStamp), true);
  addEventListener("input", (e) => { marks.input = e.timeStamp; searchTyped = true; }, true);
  const check = () => {
    if (!("skeletonGone" in marks) && document.readyState !== "loading" && !document.getElementById("skeleton")) {
      mark("skeletonGone", performance.now());
    }
    // A door's button that takes a tap: not `disabled`, not `aria-disabled` (issue #28's definition).
    if (!("firstDoor" in marks) && document.querySelector('li[data-door-id] button:not([disabled]):not([aria-disabled="true"])')) {
      // When the door entered the document (this callback's time), apart from when it was painted.
      mark("firstDoorInDocument", performance.now());
      afterPaint("firstDoor");
    }
    if (!("doors1000" in marks) && document.querySelectorAll("li[data-door-id]").length >= 1000) afterPaint("doors1000");
    if (searchTyped) { searchTyped = false; afterPaint("searched"); }
    for (const door of document.querySelectorAll('li[data-state="unlocked"]')) {
      if (!(`unlocked ${door.dataset.doorId}` in marks)) afterPaint(`unlocked ${door.dataset.doorId}`);
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.__bench = {
    marks,
    longTasks,
    // Resolves with the time of mark `name` once it is set; `null` after `limit` ms (the run fails).
    when: (name, limit) =>
      marks[name] > 0
        ? Promise.resolve(marks[name])
        : Promise.race([
            new Promise((resolve) => (waiters[name] = [...(waiters[name] || []), resolve])),
            new Promise((resolve) => setTimeout(() => resolve(null), limit)),
          ]),
    // Same-origin files of the page: bytes on the wire (headers and compressed bodies).
    transfer: () =>
      new Promise((resolve) => {
        const sum = () => {
          const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
          resolve(entries.filter((e) => e.name.startsWith(location.origin)).reduce((n, e) => n + e.transferSize, 0));
        };
        document.readyState === "complete" ? sum() : addEventListener("load", sum);
      }),
    // The timing of the requests whose URL contains `part`.
    requests: (part) =>
      performance.getEntriesByType("resource").filter((e) => e.name.includes(part))
        .map((e) => ({ start: e.startTime, end: e.responseEnd })),
    // Resolves once a request whose URL contains `part` has finished (a page may show its answer
    // before the body has been read, which is when the browser records the timing).
    finished: (part) =>
      new Promise((resolve) => {
        const look = () => window.__bench.requests(part).length > 0;
        if (look()) return resolve(true);
        const observer = new PerformanceObserver(() => look() && (observer.disconnect(), resolve(true)));
        observer.observe({ type: "resource" });
      }),
  };
}
