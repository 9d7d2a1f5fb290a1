// Conversations in data files: a message list (`[{role, content}, ...]`) validated with a message
// that names the field and index, shared by both phases' input readers.

/** A turn of a conversation as data files hold it (structurally the providers' ChatMessage). */
export interface MessageTurn {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

const ROLES: readonly MessageTurn["role"][] = ["system", "user", "assistant"];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Validates a message list, or says what is wrong with it, naming the field (`messages[2].role
 * must be one of system, user, assistant`). Extra keys on a message (`name`, `weight`) are ignored.
 *
 * @example
 * parseMessageList([{ role: "user", content: "Hi" }], "prompt") // [{ role: "user", content: "Hi" }]
 * parseMessageList([], "prompt") // "'prompt' must be a non-empty array of messages"
 */
export function parseMessageList(value: unknown, field: string): MessageTurn[] | string {
  if (!Array.isArray(value) || value.length === 0)
    return `'${field}' must be a non-empty array of messages`;
  const turns: MessageTurn[] = [];
  for (const [index, message] of value.entries()) {
    if (!isRecord(message)) return `${field}[${index}] must be an object with role and content`;
    const { role, content } = message;
    if (typeof role !== "string" || !ROLES.includes(role as MessageTurn["role"]))
      return `${field}[${index}].role must be one of ${ROLES.join(", ")}`;
    if (typeof content !== "string") return `${field}[${index}].content must be a string`;
    turns.push({ role: role as MessageTurn["role"], content });
  }
  return turns;
}

/** The content of the last user turn: the `prompt` of templates and rules. */
export function lastUserText(turns: readonly MessageTurn[]): string {
  return turns.findLast((turn) => turn.role === "user")?.content ?? "";
}
