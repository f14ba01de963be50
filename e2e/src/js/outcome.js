// Resolves with { ok: true, value } once `run()` (awaited if it is a promise) has a value, or with
// { ok: false, error } and the error's stack if it threw or rejected: the harness then fails
// naming the expression, rather than with the driver's bare "javascript error".
(run) => Promise.resolve().then(run).then(
  (value) => ({ ok: true, value: value === undefined ? null : value }),
  (error) => ({ ok: false, error: String(error && (error.stack || error)) }))
