// Runs the real head start (the inline script of the built index.html, given on stdin with the
// cases) once per case, each in a fresh context with a fake browser around it, and prints what it
// did: every fetch with its options, the lock request it started, the language it fetched.
// Used by tests/head_start.rs; node's `vm` is the sandbox, nothing here touches the network.
"use strict";
const vm = require("vm");

const storage = (entries) => {
  const map = new Map(Object.entries(entries || {}));
  return {
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem: (key, value) => map.set(key, String(value)),
    removeItem: (key) => map.delete(key),
    entries: () => [...map.entries()],
  };
};

async function run(script, testCase) {
  const fetches = [];
  // What the script did with the service worker.
  const worker = [];
  // The links the script added to the document's head (a preconnect).
  const links = [];
  // Every time limit the script set; the harness runs them out once the script is done, as a slow
  // download of the app would. A body not yet read by then is cut off, as in a browser.
  const signals = [];
  const answer = (text, redirected = false, signal = null) =>
    Promise.resolve({
      ok: true,
      status: 200,
      redirected,
      text: () => (signal && signal.aborted ? Promise.reject({ name: "TimeoutError" }) : Promise.resolve(text)),
    });
  // The site's answer for config.json: null (offline), { status } (a refusal), { text, redirected }.
  const siteAnswer = (config) => {
    if (config === null) return Promise.reject(new TypeError("offline"));
    if (config.status) return Promise.resolve({ ok: false, status: config.status, redirected: false, text: () => Promise.resolve("") });
    return answer(config.text, Boolean(config.redirected));
  };
  // The page's address as the script leaves it (it takes the secret out before anything else).
  const origin = "https://doors.example";
  const location = { origin, pathname: testCase.path || "/", search: "", hash: testCase.hash };
  const history = {
    state: null,
    replaceState: (state, unused, url) => {
      const hash = url.indexOf("#");
      location.hash = hash < 0 ? "" : url.slice(hash);
    },
  };
  const tab = storage(testCase.tab);
  const context = {
    location,
    history,
    localStorage: storage(testCase.device),
    sessionStorage: tab,
    navigator: {
      languages: testCase.languages,
      serviceWorker: {
        register: (url, options) => (worker.push(["register", url, options.updateViaCache]), Promise.resolve({})),
        // This deployment's worker and a neighbour's on the same origin.
        getRegistrations: () =>
          Promise.resolve(
            [location.pathname.replace(/[^/]*$/, ""), "/neighbour/"].map((scope) => ({
              scope: origin + scope,
              unregister: () => (worker.push(["unregister", scope]), Promise.resolve(true)),
            })),
          ),
      },
    },
    // The install offer's listener (nothing here offers one); the page counts as loaded.
    addEventListener: () => {},
    document: {
      readyState: "complete",
      documentElement: { dataset: {} },
      createElement: (tag) => ({ tag }),
      head: { append: (element) => links.push({ ...element }) },
    },
    caches: {
      keys: () => Promise.resolve(["portier-shell:/:0123", "portier-shell:/neighbour/:0123", "portier-shell:/a/:4567", "another-sites-cache"]),
      delete: (name) => (worker.push(["delete", name]), Promise.resolve(true)),
    },
    AbortSignal: {
      timeout: (ms) => {
        const signal = { timeout: ms, aborted: false };
        signals.push(signal);
        return signal;
      },
    },
    fetch: (url, init) => {
      init = init || {};
      fetches.push({
        url,
        headers: init.headers || {},
        credentials: init.credentials || null,
        referrerPolicy: init.referrerPolicy || null,
        redirect: init.redirect || null,
        timeout: init.signal ? init.signal.timeout : null,
        cache: init.cache || null,
        priority: init.priority || null,
      });
      if (url === "config.json") return siteAnswer(testCase.config);
      if (url.startsWith("i18n/")) return answer("{}");
      return answer("[]", false, init.signal);
    },
  };
  context.window = context;
  vm.createContext(context);
  vm.runInContext(script, context);
  const early = context.portierEarly || {};
  const settle = (promise) => (promise ? Promise.resolve(promise).then((v) => v, () => null) : Promise.resolve(null));
  const texts = await settle(early.texts);
  if (texts && texts.text) await settle(texts.text);
  const locks = await settle(early.locks);
  await settle(early.worker);
  const early_answer = locks ? await settle(locks.response) : null;
  signals.forEach((signal) => (signal.aborted = true));
  // The app, arriving after every time limit ran out, reads the body the script kept.
  const body = early_answer ? await settle(early_answer.text) : null;
  return {
    fetches,
    texts: texts ? texts.code : null,
    worker,
    links,
    address: location.hash,
    tab: Object.fromEntries(tab.entries()),
    locks: locks ? { url: locks.url, authorization: locks.authorization, body } : null,
  };
}

let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const { script, cases } = JSON.parse(input);
  const results = [];
  for (const testCase of cases) results.push(await run(script, testCase));
  process.stdout.write(JSON.stringify(results));
});
