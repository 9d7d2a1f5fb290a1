// Checks of few-shot sets: stages (`pair` alone or none of it), then each example's shape: turns
// first, user first and alternating, then its fields in order, each at most once.

import { FEW_SHOT_STAGES, type FewShotStage } from "../../constitution/compiled.js";
import { didYouMean } from "../../did-you-mean.js";
import type { ExampleBlock, FewShotDecl, SourceRange } from "../ast.js";
import { diagnostic } from "../diagnostics.js";
import { CheckContext } from "./check-context.js";

export class FewShotChecker extends CheckContext {
  check(set: FewShotDecl): void {
    const stages: FewShotStage[] = [];
    let firstOn: SourceRange | undefined;
    for (const on of set.on) {
      if (firstOn !== undefined) {
        this.diagnostics.push(
          diagnostic(
            "duplicate-field",
            `\`on\` is given twice in few-shot set \`${set.id.name}\``,
            this.at(on.keyword),
            { related: [{ message: "first `on`", range: this.at(firstOn) }] },
          ),
        );
        continue;
      }
      firstOn = on.keyword;
      for (const stage of on.stages) {
        if (!(FEW_SHOT_STAGES as readonly string[]).includes(stage.name)) {
          this.report(
            "unknown-stage",
            `few-shot sets apply to ${FEW_SHOT_STAGES.join(", ")}; found \`${stage.name}\``,
            stage.range,
            didYouMean(stage.name, FEW_SHOT_STAGES),
          );
        } else stages.push(stage.name as FewShotStage);
      }
    }
    const pair = stages.includes("pair");
    if (pair && stages.length > 1) {
      this.report(
        "invalid-few-shot",
        "a few-shot set `on pair` holds judge comparisons and applies to no other stage; split it in two",
        firstOn ?? set.id.range,
      );
      return;
    }
    if (set.examples.length === 0) {
      this.report(
        "invalid-few-shot",
        `few-shot set \`${set.id.name}\` has no \`example\``,
        set.id.range,
      );
    }
    for (const example of set.examples) {
      if (pair) this.comparisonExample(example);
      else this.transcriptExample(example);
    }
  }

  /** Turns of a few-shot example: user first, alternating; returns the fields after them. */
  private exampleTurns(example: ExampleBlock): ExampleBlock["fields"] | undefined {
    let expected: "user" | "assistant" = "user";
    let index = 0;
    for (const field of example.fields) {
      if (field.field !== "user" && field.field !== "assistant") break;
      this.nonEmpty(field.text, `\`${field.field}\``);
      if (field.field !== expected) {
        this.report(
          "invalid-few-shot",
          `turns alternate, starting with \`user\`: expected \`${expected}\` here`,
          field.keyword,
        );
        return undefined;
      }
      expected = expected === "user" ? "assistant" : "user";
      index++;
    }
    if (index === 0) {
      this.report(
        "invalid-few-shot",
        'a few-shot example starts with its conversation: `user "..."` first',
        example.keyword,
      );
      return undefined;
    }
    return example.fields.slice(index);
  }

  /** After the turns: in order, each at most once, in the given sequence. */
  private exampleTail(
    rest: ExampleBlock["fields"],
    order: readonly string[],
  ): Set<string> | undefined {
    const seen = new Set<string>();
    let position = 0;
    for (const field of rest) {
      const at = order.indexOf(field.field, position);
      if (at < 0) {
        const misplaced = field.field === "user" || field.field === "assistant";
        this.report(
          "invalid-few-shot",
          misplaced
            ? `\`${field.field}\` turns come before ${order.map((name) => `\`${name}\``).join(", ")}`
            : order.includes(field.field)
              ? `\`${field.field}\` is out of order or repeated; the order is ${order.map((name) => `\`${name}\``).join(", ")}`
              : `\`${field.field}\` does not belong in this set's examples (${order.map((name) => `\`${name}\``).join(", ")})`,
          field.keyword,
        );
        return undefined;
      }
      this.nonEmpty(field.text, `\`${field.field}\``);
      seen.add(field.field);
      position = at + 1;
    }
    return seen;
  }

  private transcriptExample(example: ExampleBlock): void {
    const rest = this.exampleTurns(example);
    if (rest === undefined) return;
    const seen = this.exampleTail(rest, [
      "critique-request",
      "critique",
      "revision-request",
      "revision",
    ]);
    if (seen === undefined) return;
    const lastTurn = example.fields[example.fields.length - rest.length - 1];
    const missing = (wanted: string, because: string): void =>
      this.report(
        "invalid-few-shot",
        `this example needs \`${wanted}\` ${because}`,
        example.keyword,
      );
    if (seen.size > 0 && lastTurn?.field !== "assistant")
      missing("assistant", "as its last turn: the reply that is critiqued");
    if (seen.has("critique-request") !== seen.has("critique"))
      missing(seen.has("critique") ? "critique-request" : "critique", "(they come as a pair)");
    if (seen.has("revision-request") !== seen.has("revision"))
      missing(seen.has("revision") ? "revision-request" : "revision", "(they come as a pair)");
    if (seen.has("revision") && !seen.has("critique")) missing("critique", "before its revision");
  }

  private comparisonExample(example: ExampleBlock): void {
    const rest = this.exampleTurns(example);
    if (rest === undefined) return;
    const seen = this.exampleTail(rest, ["question", "response-a", "response-b", "answer"]);
    if (seen === undefined) return;
    const lastTurn = example.fields[example.fields.length - rest.length - 1];
    if (lastTurn?.field !== "user") {
      this.report(
        "invalid-few-shot",
        "a comparison's conversation ends with a `user` turn: the two replies answer it",
        lastTurn?.keyword ?? example.keyword,
      );
    }
    const absent = ["response-a", "response-b", "answer"].filter((name) => !seen.has(name));
    if (absent.length > 0) {
      this.report(
        "invalid-few-shot",
        `a comparison needs ${absent.map((name) => `\`${name}\``).join(", ")}`,
        example.keyword,
      );
    }
    const answer = rest.find((field) => field.field === "answer");
    if (answer !== undefined && !["A", "B"].includes(answer.text.value.trim())) {
      this.report(
        "invalid-few-shot",
        `\`answer\` is "A" or "B", found ${JSON.stringify(answer.text.value)}`,
        answer.text.range,
      );
    }
  }
}
