// A vitest reporter that ends the run with one plain line, `Tests: N passed, N failed, N skipped`,
// which CI systems that do not read vitest's own summary can count.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      passed += [...module.children.allTests("passed")].length;
      failed += [...module.children.allTests("failed")].length;
      skipped += [...module.children.allTests("skipped")].length;
    }
    process.stdout.write(`\nTests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
