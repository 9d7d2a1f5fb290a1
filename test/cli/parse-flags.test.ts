// The shared flag parser, and that every command reports flag mistakes the same way through it.
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseCommandLine, parseFlags } from "../../src/cli/parse-flags.js";
import { UsageError } from "../../src/errors.js";
import { captureIO } from "./cli-io.js";

const OPTIONS = { out: { type: "string", short: "o" }, help: { type: "boolean" } } as const;

describe("parseFlags", () => {
  it("returns values and positionals as parseArgs does", () => {
    const parsed = parseFlags(["a.charter", "-o", "x.json", "b"], OPTIONS, "HELP");
    expect(parsed.values).toEqual({ out: "x.json" });
    expect(parsed.positionals).toEqual(["a.charter", "b"]);
  });

  const HELP = "usage: charter x [--out FILE]\n\n  -o, --out FILE  where it goes\n";

  it("turns an unknown flag into a UsageError with the nearest flag and the usage line", () => {
    expect(() => parseFlags(["--nope"], OPTIONS, HELP)).toThrow(UsageError);
    expect(() => parseFlags(["--ot"], OPTIONS, HELP)).toThrow(
      "unknown option --ot (did you mean --out?)\nusage: charter x [--out FILE]\nrun 'charter x --help' for every option",
    );
    expect(() => parseFlags(["-uot"], OPTIONS, HELP)).toThrow(
      /^unknown option -uot \(did you mean --out\?\)/,
    );
    expect(() => parseFlags(["--bogus"], OPTIONS, HELP)).toThrow(/^unknown option --bogus\n/);
    expect(() => parseFlags(["--zzzzzz"], OPTIONS, HELP)).toThrow(/^unknown option --zzzzzz\n/);
  });

  it("turns a missing value into a UsageError quoting the flag's help line", () => {
    expect(() => parseFlags(["--out"], OPTIONS, HELP)).toThrow(
      "option --out needs a value\n  -o, --out FILE  where it goes\nusage: charter x [--out FILE]",
    );
    expect(() => parseFlags(["--help=yes"], OPTIONS, HELP)).toThrow(
      /^option --help takes no value\n/,
    );
  });
});

describe("parseCommandLine", () => {
  it("prints the help for -h or --help and returns undefined, before looking at positionals", () => {
    for (const flag of ["-h", "--help"]) {
      const io = captureIO(process.cwd());
      expect(parseCommandLine(["x", flag, "y"], OPTIONS, "HELP TEXT\n", io)).toBeUndefined();
      expect(io.out()).toBe("HELP TEXT\n");
    }
  });

  it("returns the parsed flags otherwise, printing nothing", () => {
    const io = captureIO(process.cwd());
    const parsed = parseCommandLine(["a", "--out", "b"], { out: { type: "string" } }, "HELP", io);
    expect(parsed?.values).toEqual({ out: "b" });
    expect(parsed?.positionals).toEqual(["a"]);
    expect(io.out()).toBe("");
  });
});

describe("flag mistakes in every command", () => {
  const commands = [
    "check",
    "compile",
    "convert",
    "fmt",
    "import",
    "revise",
    "judge",
    "merge",
    "cache",
  ];
  for (const name of commands) {
    it(`charter ${name} --bogus exits 2 with the message and the command's usage line`, async () => {
      const io = captureIO(process.cwd());
      expect(await main([name, "--bogus"], io)).toBe(2);
      expect(io.err()).toMatch(new RegExp(`^charter ${name}: unknown option --bogus\n`));
      expect(io.err()).toContain(`usage: charter ${name}`);
      expect(io.err()).toMatch(new RegExp(`run 'charter ${name} --help' for every option\n$`));
      expect(io.out()).toBe("");
    });

    it(`charter ${name} --help prints the command's help and exits 0`, async () => {
      const io = captureIO(process.cwd());
      expect(await main([name, "--help"], io)).toBe(0);
      expect(io.out()).toMatch(new RegExp(`^usage: charter ${name}`));
      expect(io.err()).toBe("");
    });
  }
});
