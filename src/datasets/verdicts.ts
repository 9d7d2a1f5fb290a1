// What a judge said about a pair, in the shape both Phase 2 (which makes it) and the preference
// layouts and rubric scoring (which write it out) share: one principle's verdict over the orders
// the replies were shown in.

/** In which order the replies were shown: `first-as-a` shows the pair's first reply as (A). */
export type ShownOrder = "first-as-a" | "second-as-a";

export interface OrderVerdict {
  readonly order: ShownOrder;
  /** P(the pair's first reply is better), read from this order's answer. */
  readonly probabilityFirst: number;
  readonly detail: Readonly<Record<string, number | string>>;
}

/** One principle's verdict from one judge, over the orders asked. */
export interface PrincipleVerdict {
  readonly judge: string;
  readonly principle: string;
  readonly question: string;
  readonly orders: readonly OrderVerdict[];
  /** Mean over orders. */
  readonly probabilityFirst: number;
  /** Both orders prefer the same reply (absent with one order). */
  readonly consistent?: boolean;
}
