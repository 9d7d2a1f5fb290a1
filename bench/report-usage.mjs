// Preloaded with `--import` into a benchmarked child process: when it exits, writes its own peak RSS
// and CPU time (process.resourceUsage) as one JSON line to the file named by CHARTER_BENCH_USAGE.
import { appendFileSync } from "node:fs";

const file = process.env.CHARTER_BENCH_USAGE;
if (file !== undefined && file !== "")
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const line = {
      peakMb: usage.maxRSS / 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
