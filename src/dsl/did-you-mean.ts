// The compiler's near-miss suggestions live in src/did-you-mean.ts, shared with the phases' input
// readers and the command line; the compiler's modules import them from here as they always did.
export { didYouMean, editDistance, suggestionList } from "../did-you-mean.js";
