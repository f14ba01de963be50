// portier's service worker: the app's own files from the device, so a repeat visit starts with no
// network round trip and a visit without a network still opens the page.
//
// `cargo xtask build` writes this build's files in place of the marker (xtask/src/worker.rs): each
// file's path and SHA-256, and the cache this build keeps them in. Those bytes change with every
// build, which is how the browser knows to install the new worker (it checks `sw.js` on every visit;
// the host serves it `no-cache`).
//
// What it never does: answer, keep or retry a request to the API. It answers navigations to the page
// and the page's own `.js`, `.wasm` and `.css` files, nothing else: `config.json` and the
// translations are the page's business (it keeps them itself and must hear the site's own answer,
// see src/boot/mod.rs), the API and everything else go to the network as if no worker were there.
const build = /*portier:build*/null;
// This deployment's caches: the origin's Cache Storage is shared by every page on it, so each name
// carries the worker's scope, the page's folder (`portier-shell:/a/:<build>`, src/services/storage.rs).
const scope = new URL(self.registration.scope).pathname;
const ours = build.prefix + scope + build.scopeEnd;
const cacheName = ours + build.id;

// All or nothing: a file missing, refused or not byte for byte this build's (the host serving a
// newer deployment halfway through) fails the install, and the worker already here stays.
self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) =>
        Promise.all(
          build.files.map(({ path, integrity, revalidate }) =>
            fetch(path, {
              integrity,
              cache: revalidate ? "no-cache" : "default",
              credentials: "same-origin",
              // Like the page: no Referer, ever (the worker is not under the page's <meta name=referrer>).
              referrerPolicy: "no-referrer",
            }).then(
              (response) => {
                if (!response.ok || response.redirected) throw new Error(`${path}: ${response.status}`);
                return cache.put(path, response);
              },
            ),
          ),
        ),
      )
      // A page already open keeps the files it loaded (every one it needs is loaded at start);
      // the next visit gets the new build whole.
      .then(() => self.skipWaiting()),
  );
});

// Keeps this build's files and the build before it (a page of that build that is still starting may
// ask for one of its files after this worker took over); every older build of this deployment goes,
// and a cache named before names were scoped if the files in it are this deployment's.
const mine = (name) =>
  name.startsWith(build.unscopedPrefix) &&
  caches.open(name).then((cache) => cache.keys()).then((kept) => kept.length > 0 && new URL(".", kept[0].url).href === self.registration.scope);
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => {
        const older = names.filter((name) => name.startsWith(ours) && name !== cacheName).slice(0, -1);
        return Promise.all([
          ...older.map((name) => caches.delete(name)),
          ...names.map((name) => Promise.resolve(mine(name)).then((yes) => yes && caches.delete(name))),
        ]);
      })
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || request.headers.has("Authorization")) return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (request.mode === "navigate") {
    if (path === "" || path === build.page) event.respondWith(fromDevice(build.page, request));
  } else if (/^[^/]+\.(js|wasm|css)$/.test(path)) {
    event.respondWith(fromDevice(path, request));
  }
});

// A file from this build's cache, else an earlier build's, else the network. (`caches.match` never
// opens a cache, so a cache the kill switch deleted meanwhile is not made again, empty.)
const fromDevice = (path, request) =>
  caches
    .match(path, { cacheName })
    .then((kept) => kept || caches.match(path))
    .then((kept) => kept || fetch(request));
