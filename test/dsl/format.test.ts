// `formatSource`: the canonical layout, comments kept, syntax errors refused, and its laws on
// the shipped constitutions.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileSource, toCharterSource } from "../../src/dsl/index.js";
import { formatSource } from "../../src/dsl/print/format.js";
import { expectFormatLaws } from "./format-laws.js";

const root = new URL("../../", import.meta.url);
const shipped = readdirSync(new URL("constitutions/", root), { recursive: true })
  .map(String)
  .filter((name) => name.endsWith(".charter"))
  .map((name) => `constitutions/${name}`);

const fmt = (text: string) => formatSource(text, "t.charter");

describe("formatSource layout", () => {
  it("puts one statement per line, two-space indentation, one space between tokens", () => {
    const input = `charter   "x"   version "1.0.0"
principle a.b weight 2 tags x,y{critique "c" revise   "r"
example{prompt "p" response "r"}}
rule r { on response require words ( response ) >= 3 and not(response matches /x/i) or [1, 2] == [ 1,2 ] }
rubric rb { essential "e"    weight 5 pitfall "p" weight -1 }`;
    expect(fmt(input).text).toBe(`charter "x" version "1.0.0"

principle a.b weight 2 tags x, y {
  critique "c"
  revise "r"
  example {
    prompt "p"
    response "r"
  }
}

rule r {
  on response
  require words(response) >= 3 and not (response matches /x/i) or [1, 2] == [1, 2]
}

rubric rb {
  essential "e" weight 5
  pitfall "p" weight -1
}
`);
  });

  it("writes multi-line text as indented blocks and one-line text as quoted strings", () => {
    const input = `about """
        Two
          lines
"""
principle p {
critique """one line"""
    revise "first\\nsecond"
  compare "say \\"hi\\" \\u00e9"
}
template critique-request """
  {{conversation}}
"""`;
    expect(fmt(input).text).toBe(`about """
  Two
    lines
"""

principle p {
  critique "one line"
  revise """
    first
    second
  """
  compare "say \\"hi\\" é"
}

template critique-request "{{conversation}}"
`);
  });

  // Found by the fuzzer (seed 1, case 5076): fmt turned a multi-line string inside a `when` into a
  // `"""` block across lines, while `convert --to charter` (the expression's canonical print) keeps it
  // quoted, so converted files were not in fmt's layout.
  it("keeps strings inside expressions quoted, as the expression's canonical print spells them", () => {
    const input = `charter "x" version "1.0.0"
principle p {
  when response contains """
    two
    lines
  """ or "a\\nb" in tags
  compare "q"
}
rule r { on response flag prompt == """
  x
  y
""" }`;
    const formatted = fmt(input).text;
    expect(formatted).toContain('  when response contains "two\\nlines" or "a\\nb" in tags\n');
    expect(formatted).toContain('  flag prompt == "x\\ny"\n');
    expectFormatLaws(formatted, "t.charter");
    const compiled = compileSource(input, { filename: "t.charter" }).constitution;
    if (compiled === undefined) throw new Error("did not compile");
    const converted = toCharterSource(compiled);
    expect(fmt(converted).changed).toBe(false);
  });

  // Found by the convert law of format-properties.test.ts: `convert --to charter` quoted a
  // multi-line name (and string default, criterion text) that fmt writes as a `"""` block.
  it("convert spells multi-line names, defaults and criteria as fmt does", () => {
    const input = `charter """
  two-line
  name
""" version "1.0.0"

defaults {
  no-change-marker """
    NO
    CHANGE
  """
}

rubric r {
  essential """
    first line
    second line
  """ weight 2
}
`;
    expect(fmt(input).changed).toBe(false);
    const compiled = compileSource(input, { filename: "t.charter" }).constitution;
    if (compiled === undefined) throw new Error("did not compile");
    expect(toCharterSource(compiled)).toBe(input);
  });

  it("spells numbers canonically", () => {
    expect(fmt('rubric r { essential "e" weight 05 pitfall "p" weight -1.50 }').text).toContain(
      'essential "e" weight 5\n  pitfall "p" weight -1.5\n',
    );
  });

  it("keeps text a block cannot hold exactly as a quoted string", () => {
    const input = 'about "\\n  leading blank line and indentation"\n';
    expect(fmt(input).text).toBe(input);
  });

  it("keeps comments where they were: leading, trailing, inside blocks, mid-statement", () => {
    const input = `# file comment

principle a { # after brace
  # before critique
  critique "c"   # trailing


  # after a blank line
  when words(response) >= 3 and
    # inside the expression
    response contains "x"  # end
  # before the closing brace
}
# attached to the rule
rule r { on response }  # after the rule
# last`;
    expect(fmt(input).text).toBe(`# file comment

principle a {  # after brace
  # before critique
  critique "c"  # trailing

  # after a blank line
  when words(response) >= 3 and
    # inside the expression
    response contains "x"  # end
  # before the closing brace
}

# attached to the rule
rule r {
  on response
}  # after the rule

# last
`);
  });

  it("separates top-level declarations by one blank line, letting imports and drops group", () => {
    const input = `charter "x" version "1.0.0"
import "./a.charter"
import "./b.charter" only x.*, y as z



import "./c.charter"
drop principle q
drop principle r
principle e {}
`;
    expect(fmt(input).text).toBe(`charter "x" version "1.0.0"

import "./a.charter"
import "./b.charter" only x.*, y as z

import "./c.charter"

drop principle q
drop principle r

principle e {}
`);
  });

  it("gives CRLF input the same result as LF input, with LF line ends", () => {
    const lf =
      '# c\ncharter "x" version "1.0.0"\nabout """\n  a\n  b\n"""\nprinciple p {  # t\n  critique "c"\n}\n';
    const crlf = lf.replace(/\n/g, "\r\n");
    expect(fmt(crlf).text).toBe(fmt(lf).text);
    expect(fmt(crlf).text).not.toContain("\r");
  });

  it("formats an empty file to nothing and a comment-only file to its comments", () => {
    expect(fmt("").text).toBe("");
    expect(fmt("\n\n# only\n\n").text).toBe("# only\n");
  });

  it("reports changed only when the text differs", () => {
    const canonical = 'charter "x" version "1.0.0"\n';
    expect(fmt(canonical)).toEqual({ text: canonical, diagnostics: [], changed: false });
    expect(fmt('charter "x"  version "1.0.0"').changed).toBe(true);
  });

  it("does not format a file with syntax errors, and says why", () => {
    const input = 'principle a {\n  critique "unterminated\n}\nprincipel b {}\n';
    const result = fmt(input);
    expect(result.text).toBe(input);
    expect(result.changed).toBe(false);
    expect(
      result.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`),
    ).toEqual(expect.arrayContaining(["2:12 unterminated-string"]));
  });
});

describe.each(shipped)("formatter laws on %s", (path) => {
  it("is idempotent, keeps comments, and compiles to the same constitution", () => {
    expectFormatLaws(readFileSync(new URL(path, root), "utf8"), path, { compiles: true });
  });
});
