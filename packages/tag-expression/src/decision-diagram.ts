import type { CanonicalQuestionLimits } from "./canonical-question.types.js";
import { badExpression } from "./tag-expression.errors.js";

/** The two terminals; every other node id is 2 or more. */
export const NEVER = 0;
export const ALWAYS = 1;

/** A node as the printer sees it: `children[i]` is the child for value index `values[i]`. */
export type DiagramNode = {
  readonly slot: number;
  readonly values: readonly number[];
  readonly children: readonly number[];
  readonly otherwise: number;
};

type Op = "and" | "or";

const TERMINAL_SLOT = Number.MAX_SAFE_INTEGER;
const NO_EDGES: readonly number[] = [];

/**
 * A reduced ordered multi-valued decision diagram, hash-consed, so that equal functions are one
 * node id. Slot `s` (a variable, ordered by index) takes a value index or "any other"; a node
 * lists, in increasing value order, only the values whose child differs from `otherwise`, so a
 * value that makes no difference leaves no trace, and a node with no such value is not made.
 * A `MANY` tag is a slot with one value (present); a `ONE` dimension is a slot with its values.
 */
export class DecisionDiagram {
  private readonly nodes: DiagramNode[] = [
    { slot: TERMINAL_SLOT, values: NO_EDGES, children: NO_EDGES, otherwise: NEVER },
    { slot: TERMINAL_SLOT, values: NO_EDGES, children: NO_EDGES, otherwise: ALWAYS },
  ];
  private readonly unique = new Map<string, number>();
  private readonly memo: Record<Op | "not", Map<number, number>> = {
    and: new Map(),
    or: new Map(),
    not: new Map(),
  };
  private readonly stride: number;
  private steps = 0;

  constructor(private readonly limits: CanonicalQuestionLimits) {
    // Node ids stay below maxNodes + 2, so `f * stride + g` names a pair exactly.
    this.stride = limits.maxNodes + 2;
    if (!Number.isSafeInteger(this.stride * this.stride)) {
      throw new Error(`maxNodes is too large: ${limits.maxNodes}`);
    }
  }

  node(id: number): DiagramNode {
    const node = this.nodes[id];
    if (node === undefined) throw new Error(`No diagram node ${id}`);
    return node;
  }

  /** The function "the member holds value `value` of slot `slot`". */
  literal(slot: number, value: number): number {
    return this.make(slot, [value], [ALWAYS], NEVER);
  }

  and(f: number, g: number): number {
    return this.apply("and", f, g);
  }

  or(f: number, g: number): number {
    return this.apply("or", f, g);
  }

  not(f: number): number {
    if (f === NEVER) return ALWAYS;
    if (f === ALWAYS) return NEVER;
    const known = this.memo.not.get(f);
    if (known !== undefined) return known;
    this.step();
    const node = this.node(f);
    const result = this.make(
      node.slot,
      node.values,
      node.children.map((child) => this.not(child)),
      this.not(node.otherwise),
    );
    this.memo.not.set(f, result);
    return result;
  }

  private apply(op: Op, f: number, g: number): number {
    const absorbing = op === "and" ? NEVER : ALWAYS;
    if (f === absorbing || g === absorbing) return absorbing;
    if (f === 1 - absorbing) return g;
    if (g === 1 - absorbing || f === g) return f;
    // Both operators commute, so one memo entry serves (f, g) and (g, f).
    const low = f < g ? f : g;
    const high = f < g ? g : f;
    const pair = low * this.stride + high;
    const known = this.memo[op].get(pair);
    if (known !== undefined) return known;
    this.step();

    const a = this.node(low);
    const b = this.node(high);
    const slot = Math.min(a.slot, b.slot);
    // A node below the top slot does not test it: its every cofactor there is itself.
    const aValues = a.slot === slot ? a.values : NO_EDGES;
    const bValues = b.slot === slot ? b.values : NO_EDGES;
    const aOtherwise = a.slot === slot ? a.otherwise : low;
    const bOtherwise = b.slot === slot ? b.otherwise : high;
    const otherwise = this.apply(op, aOtherwise, bOtherwise);

    const values: number[] = [];
    const children: number[] = [];
    let i = 0;
    let j = 0;
    while (i < aValues.length || j < bValues.length) {
      const aValue = aValues[i] ?? Infinity;
      const bValue = bValues[j] ?? Infinity;
      const value = Math.min(aValue, bValue);
      const aChild = aValue === value ? (a.children[i++] as number) : aOtherwise;
      const bChild = bValue === value ? (b.children[j++] as number) : bOtherwise;
      const child = this.apply(op, aChild, bChild);
      if (child !== otherwise) {
        values.push(value);
        children.push(child);
      }
    }
    const result = this.make(slot, values, children, otherwise);
    this.memo[op].set(pair, result);
    return result;
  }

  private make(
    slot: number,
    values: readonly number[],
    children: readonly number[],
    otherwise: number,
  ): number {
    if (values.length === 0) return otherwise;
    const signature = `${slot}/${otherwise}/${values.join(",")}/${children.join(",")}`;
    const known = this.unique.get(signature);
    if (known !== undefined) return known;
    if (this.nodes.length - 2 >= this.limits.maxNodes) {
      throw badExpression(
        "TOO_COMPLEX",
        1,
        `The question is too complex: its decision diagram exceeds the limit of ` +
          `${this.limits.maxNodes} nodes`,
      );
    }
    const id = this.nodes.length;
    this.nodes.push({ slot, values, children, otherwise });
    this.unique.set(signature, id);
    return id;
  }

  private step(): void {
    this.steps += 1;
    if (this.steps > this.limits.maxSteps) {
      throw badExpression(
        "TOO_COMPLEX",
        1,
        `The question is too complex: building its decision diagram exceeds the limit of ` +
          `${this.limits.maxSteps} steps`,
      );
    }
  }
}
