// Front door of the runtime: seeded randomness, the shared run engine, run folders, sharding, progress.
export { callSeed, seededRandom, type SeededRandom } from "./seeded-random.js";
export type * from "./engine-types.js";
export { runItems } from "./run-items.js";
export { openBatchLog, BATCH_LOG_FILE } from "./run-folder.js";
export { systemClock, fixedClock, type Clock } from "./clock.js";
export {
  shardOf,
  parseShard,
  formatShard,
  shardFromScheduler,
  describeSchedulerShard,
  SHARD_SCHEDULERS,
  type Shard,
  type ShardScheduler,
  type SchedulerShard,
} from "./shard.js";
export {
  readManifest,
  readStats,
  MANIFEST_FILE,
  STATS_FILE,
  TRACE_FILE,
  type Manifest,
  type Stats,
  type FolderStatus,
} from "./run-folder.js";
export { mergeShards, type MergeSummary } from "./merge-shards.js";
export {
  createProgressReporter,
  formatCount,
  formatProgress,
  COUNTER_NAMES,
  type ProgressReporter,
  type ProgressReporterOptions,
  type ProgressWords,
  type LiveCalls,
  type LiveCallCounts,
} from "./progress.js";
export {
  countCohen,
  cohenKappas,
  countFleiss,
  fleissKappa,
  kappaOf,
  type CohenKappa as RaterCohenKappa,
  type FleissKappa as RaterFleissKappa,
} from "./agreement.js";
