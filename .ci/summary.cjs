// Reads vitest's JSON results and prints the closing line CI reads: "N passed, N failed, N skipped".
// Under CI a skipped test counts against the run (exit 3): every peer must be installed and used.
const results = require(require('node:path').resolve(process.argv[2]));
const skipped = results.numPendingTests + results.numTodoTests;
// A file that failed before running any test (an import error, a missing peer under CI) has no assertions.
const brokenFiles = results.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
for (const f of brokenFiles) console.log(`failed to run: ${f.name}\n${f.message}`);
if (skipped > 0) {
  console.log(`CI: ${skipped} test(s) were skipped; under CI every test must run:`);
  for (const f of results.testResults)
    for (const t of f.assertionResults)
      if (['pending', 'skipped', 'todo'].includes(t.status)) console.log(`  skipped: ${f.name} > ${t.fullName}`);
}
const failed = results.numFailedTests + brokenFiles.length;
console.log(`${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : skipped > 0 ? 3 : 0;
