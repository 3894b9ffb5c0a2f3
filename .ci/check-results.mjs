// Reads vitest's JSON reports: fails when a suite ran no test, or any test failed or was skipped, and
// prints the plain closing line `N passed, N failed, N skipped` over all of them.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`no test report at ${file}: ${error.message}`);
    failed += 1;
    continue;
  }
  const filePassed = report.numPassedTests ?? 0;
  passed += filePassed;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) + (filePassed === 0 ? 1 : 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    for (const test of suite.assertionResults ?? []) {
      if (test.status !== 'passed') console.log(`${test.status}: ${suite.name} > ${test.fullName}`);
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(passed > 0 && failed === 0 && skipped === 0 ? 0 : 1);
