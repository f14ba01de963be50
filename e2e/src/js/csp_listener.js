// Installed before any page script runs: every Content-Security-Policy violation lands in the
// console, where the harness fails on it. A test that provokes a violation on purpose names it in
// `__portierExpectedViolation`.
() => document.addEventListener("securitypolicyviolation", (e) => {
  const expected = window.__portierExpectedViolation;
  if (!(expected && e.blockedURI.includes(expected))) console.error("csp-violation", e.violatedDirective, e.blockedURI);
})
