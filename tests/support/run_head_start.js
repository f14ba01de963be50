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
  };
};

async function run(script, testCase) {
  const fetches = [];
  const answer = (text) => Promise.resolve({ ok: text !== null, text: () => Promise.resolve(text) });
  const context = {
    location: { hash: testCase.hash },
    localStorage: storage(testCase.device),
    sessionStorage: storage(testCase.tab),
    navigator: { languages: testCase.languages },
    AbortSignal: { timeout: (ms) => ({ timeout: ms }) },
    fetch: (url, init) => {
      init = init || {};
      fetches.push({
        url,
        headers: init.headers || {},
        credentials: init.credentials || null,
        referrerPolicy: init.referrerPolicy || null,
        timeout: init.signal ? init.signal.timeout : null,
        cache: init.cache || null,
      });
      if (url === "config.json") return testCase.config === null ? Promise.reject(new TypeError("offline")) : answer(testCase.config);
      if (url.startsWith("i18n/")) return answer("{}");
      return answer("[]");
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
  if (locks) await settle(locks.response);
  return {
    fetches,
    texts: texts ? texts.code : null,
    locks: locks ? { url: locks.url, authorization: locks.authorization } : null,
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
