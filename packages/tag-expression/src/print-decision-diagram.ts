import { ALWAYS, type DecisionDiagram, type DiagramNode, NEVER } from "./decision-diagram.js";

/** A variable of the diagram, in order: a `ONE` dimension with its values, or one `MANY` tag. */
export type DiagramSlot =
  | { readonly kind: "ONE"; readonly dimension: string; readonly values: readonly string[] }
  | { readonly kind: "MANY"; readonly key: string };

/**
 * Prints the diagram under `root` so that the text can be parsed back into the same diagram,
 * which makes it canonical: equal texts iff equal diagrams iff equal functions.
 *
 * - `never`, `always`: a constant function; `0`, `1` inside.
 * - `interest:a?X:Y`: X if the member holds the `MANY` tag, else Y; wrapped in `( )` as a child.
 * - `age{25-34=X,35-44=Y,*=Z}`: by the member's value of the `ONE` dimension, `*` for any other
 *   value or none.
 * - `#n=` before a node's first appearance when it is reached more than once; `#n` after.
 *
 * Tag keys never hold `?:(){}=,*#` or spaces outside their `dimension:` colon, so this parses.
 * Children are visited in value order, then `*`, so the labels are numbered by structure alone.
 */
export function printDecisionDiagram(
  diagram: DecisionDiagram,
  slots: readonly DiagramSlot[],
  root: number,
): string {
  if (root === NEVER) return "never";
  if (root === ALWAYS) return "always";

  const references = new Map<number, number>();
  const count = (id: number): void => {
    if (id === NEVER || id === ALWAYS) return;
    const seen = references.get(id) ?? 0;
    references.set(id, seen + 1);
    if (seen > 0) return;
    const node = diagram.node(id);
    node.children.forEach(count);
    count(node.otherwise);
  };
  count(root);

  const labels = new Map<number, number>();
  const print = (id: number, asChild: boolean): string => {
    if (id === NEVER) return "0";
    if (id === ALWAYS) return "1";
    const label = labels.get(id);
    if (label !== undefined) return `#${label}`;
    let prefix = "";
    if ((references.get(id) ?? 0) > 1) {
      const next = labels.size + 1;
      labels.set(id, next);
      prefix = `#${next}=`;
    }
    const node = diagram.node(id);
    const slot = slots[node.slot];
    if (slot === undefined) throw new Error(`No slot ${node.slot}`);
    if (slot.kind === "MANY") {
      const present = print(childAt(node, 0), true);
      const text = `${prefix}${slot.key}?${present}:${print(node.otherwise, true)}`;
      return asChild ? `(${text})` : text;
    }
    const edges = node.values.map((value, i) => {
      const name = slot.values[value];
      if (name === undefined) throw new Error(`No value ${value} in slot ${slot.dimension}`);
      return `${name}=${print(childAt(node, i), true)}`;
    });
    return `${prefix}${slot.dimension}{${edges.join(",")},*=${print(node.otherwise, true)}}`;
  };
  return print(root, false);
}

function childAt(node: DiagramNode, index: number): number {
  const child = node.children[index];
  if (child === undefined) throw new Error(`No child ${index} in a diagram node`);
  return child;
}
