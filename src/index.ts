// Charter's public library API.
export * from "./dsl/index.js";
export * from "./errors.js";
export { CHARTER_VERSION } from "./version.js";
