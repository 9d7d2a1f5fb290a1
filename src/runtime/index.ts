// Front door of the runtime: seeded randomness, the shared run engine, run folders.
export { seededRandom, type SeededRandom } from "./seeded-random.js";
export type * from "./engine-types.js";
