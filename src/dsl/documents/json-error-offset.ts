// Where JSON text first goes wrong: Node 20's JSON.parse messages do not always say.

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const LITERALS = ["true", "false", "null"];

/** The offset of the first character that breaks JSON syntax (text.length if it ends too early). */
export function jsonErrorOffset(text: string): number {
  let at = 0;
  const fail = (): never => {
    throw at;
  };
  const skip = () => {
    while (at < text.length && WHITESPACE.has(text[at] as string)) at++;
  };
  const expect = (char: string) => {
    skip();
    if (text[at] !== char) fail();
    at++;
  };
  const string = () => {
    expect('"');
    while (at < text.length && text[at] !== '"') {
      const code = text.charCodeAt(at);
      if (code < 0x20) fail();
      if (text[at] === "\\") {
        at++;
        if (text[at] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(at + 1, at + 5))) fail();
          at += 4;
        } else if (!'"\\/bfnrt'.includes(text[at] ?? "x")) fail();
      }
      at++;
    }
    if (at >= text.length) fail();
    at++;
  };
  const value = (): void => {
    skip();
    const char = text[at];
    if (char === "{") {
      at++;
      skip();
      if (text[at] === "}") return void at++;
      for (;;) {
        string();
        expect(":");
        value();
        skip();
        if (text[at] === ",") at++;
        else return expect("}");
      }
    }
    if (char === "[") {
      at++;
      skip();
      if (text[at] === "]") return void at++;
      for (;;) {
        value();
        skip();
        if (text[at] === ",") at++;
        else return expect("]");
      }
    }
    if (char === '"') return string();
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(at));
    if (number !== null) return void (at += number[0].length);
    const literal = LITERALS.find((word) => text.startsWith(word, at));
    if (literal === undefined) fail();
    at += (literal as string).length;
  };
  try {
    value();
    skip();
    return at < text.length ? at : text.length;
  } catch (offset) {
    return typeof offset === "number" ? Math.min(offset, text.length) : text.length;
  }
}
