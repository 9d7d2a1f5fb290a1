// The batch journal's compact custom_id index: the fingerprint table behaves as a Map under any
// sequence of sets and deletes (growth, backward-shift deletion, retain), and Charter's custom_ids
// get distinct fingerprints (the purpose counts, not only the hash).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { customIdOf } from "../../src/providers/batch-api.js";
import { FingerprintTable, fingerprint } from "../../src/providers/batch-fingerprints.js";

describe("FingerprintTable", () => {
  it("agrees with a Map under sets, deletes and retains", () => {
    // Retains (which rebuild the table) are rare, so deletions' shifts are what is checked.
    const operation = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          op: fc.constant("set" as const),
          key: fc.noBias(fc.nat(3000)),
          value: fc.integer({ min: 1, max: 9 }),
        }),
      },
      {
        weight: 5,
        arbitrary: fc.record({ op: fc.constant("delete" as const), key: fc.noBias(fc.nat(3000)) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          op: fc.constant("retain" as const),
          value: fc.integer({ min: 1, max: 9 }),
        }),
      },
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1000, maxLength: 4000 }), (operations) => {
        const table = new FingerprintTable();
        const model = new Map<number, number>();
        // Few distinct halves, so keys collide in their home slots and runs form.
        const key = (n: number): [number, number] => [n % 7, n];
        for (const step of operations) {
          if (step.op === "set") {
            expect(table.set(...key(step.key), step.value)).toBe(model.get(step.key) ?? 0);
            model.set(step.key, step.value);
          } else if (step.op === "delete") {
            expect(table.delete(...key(step.key))).toBe(model.get(step.key) ?? 0);
            model.delete(step.key);
          } else {
            table.retain((value) => value !== step.value);
            for (const [k, value] of model) if (value === step.value) model.delete(k);
          }
        }
        expect(table.size).toBe(model.size);
        for (let n = 0; n <= 3000; n++) expect(table.get(...key(n))).toBe(model.get(n) ?? 0);
      }),
      { numRuns: 40, seed: 14 },
    );
  });

  it("grows to hold many entries, and sized for them does not grow; 12 bytes a slot", () => {
    const grown = new FingerprintTable();
    const small = grown.bytes;
    for (let n = 1; n <= 100_000; n++) grown.set(n * 2654435761, n, n);
    expect(grown.bytes).toBeGreaterThan(small);
    expect(grown.size).toBe(100_000);
    let found = 0;
    for (let n = 1; n <= 100_000; n++) if (grown.get(n * 2654435761, n) === n) found++;
    expect(found).toBe(100_000);
    const sized = new FingerprintTable(100_000);
    const bytes = sized.bytes;
    for (let n = 1; n <= 100_000; n++) sized.set(n * 2654435761, n, n);
    expect(sized.bytes).toBe(bytes);
    expect(sized.bytes / 100_000).toBeLessThan(12 / 0.4);
  });
});

describe("fingerprint", () => {
  it("tells custom_ids apart by their hash and their purpose", () => {
    const request = {
      messages: [{ role: "user" as const, content: "hi" }],
      purpose: "reply" as const,
    };
    const reply = customIdOf("{}", request);
    const critique = customIdOf("{}", { ...request, purpose: "critique" as const });
    expect(reply.slice(-40)).toBe(critique.slice(-40));
    expect(fingerprint(reply)).not.toEqual(fingerprint(critique));
    expect(fingerprint(reply)).toEqual(fingerprint(customIdOf("{}", request)));
    // Ids of another shape are hashed whole.
    expect(fingerprint("x-1")).not.toEqual(fingerprint("x-2"));
  });
});
