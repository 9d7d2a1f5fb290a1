// Front door of the model providers.
export type * from "./types.js";
