// Token estimates for budgets and the offline model (canonical JSON and sha256 come from src/io).

/** A rough token count (four characters per token) for budgets and the offline model. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
