import { badExpression, quoteInput } from "./tag-expression.errors.js";
import {
  DEFAULT_TAG_EXPRESSION_LIMITS,
  type TagExpression,
  type TagExpressionLimits,
} from "./tag-expression.types.js";
import { TagExpressionLexer, type Token } from "./tokenize-tag-expression.js";

const OPERAND_EXPECTED = 'expected a tag, "not" or "("';
const FOLLOW_EXPECTED = 'expected "and", "or" or the end';
/**
 * Parses `dimension:value` tags joined by `and`, `or`, `not` (any case) and parentheses;
 * `not` binds tighter than `and`, which binds tighter than `or`.
 *
 * @throws AppError `BAD_EXPRESSION` with details `{ position, reason }` (1-based position).
 */
export function parseTagExpression(
  input: string,
  limits?: Partial<TagExpressionLimits>,
): TagExpression {
  const effective = resolveLimits(limits);
  checkLength(input, effective.maxLength);
  return new Parser(input, effective).parse();
}

function resolveLimits(limits: Partial<TagExpressionLimits> | undefined): TagExpressionLimits {
  const resolved = {
    maxLength: limits?.maxLength ?? DEFAULT_TAG_EXPRESSION_LIMITS.maxLength,
    maxDepth: limits?.maxDepth ?? DEFAULT_TAG_EXPRESSION_LIMITS.maxDepth,
    maxTerms: limits?.maxTerms ?? DEFAULT_TAG_EXPRESSION_LIMITS.maxTerms,
  };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`Tag expression limit ${name} must be a positive integer, got ${value}`);
    }
  }
  return resolved;
}

// Runs before any tokenizing so a huge input costs at most maxLength steps.
function checkLength(input: string, maxLength: number): void {
  if (input.length <= maxLength) return;
  let count = 0;
  for (const _ of input) {
    count += 1;
    if (count > maxLength) {
      const position = maxLength + 1;
      throw badExpression(
        "TOO_LONG",
        position,
        `Expression too long at position ${position}: the limit is ${maxLength} characters`,
      );
    }
  }
}

class Parser {
  private readonly lexer: TagExpressionLexer;
  private terms = 0;

  constructor(
    input: string,
    private readonly limits: TagExpressionLimits,
  ) {
    this.lexer = new TagExpressionLexer(input);
  }

  parse(): TagExpression {
    const first = this.lexer.peek();
    if (first.type === "end") {
      throw badExpression("EMPTY", 1, "Empty expression at position 1");
    }
    const expression = this.parseOr(0);
    const rest = this.lexer.peek();
    if (rest.type !== "end") {
      throw unexpected(rest, rest.type === "rparen" ? 'there is no "(" to close' : FOLLOW_EXPECTED);
    }
    return expression;
  }

  private parseOr(depth: number): TagExpression {
    const operands = [this.parseAnd(depth)];
    while (isKeyword(this.lexer.peek(), "or")) {
      this.lexer.next();
      operands.push(this.parseAnd(depth));
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: "or", operands };
  }

  private parseAnd(depth: number): TagExpression {
    const operands = [this.parseUnary(depth)];
    while (isKeyword(this.lexer.peek(), "and")) {
      this.lexer.next();
      operands.push(this.parseUnary(depth));
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: "and", operands };
  }

  private parseUnary(depth: number): TagExpression {
    const token = this.lexer.next();
    switch (token.type) {
      case "tag":
        this.countTerm(token.position);
        return { kind: "tag", key: token.key, dimension: token.dimension, value: token.value };
      case "keyword":
        if (token.keyword !== "not") throw unexpected(token, OPERAND_EXPECTED);
        return { kind: "not", operand: this.parseUnary(this.deeper(depth, token.position)) };
      case "lparen": {
        const inner = this.parseOr(this.deeper(depth, token.position));
        this.expectClosing(token.position);
        return inner;
      }
      case "rparen":
        throw unexpected(token, OPERAND_EXPECTED);
      case "end":
        throw unexpectedEnd(token.position, OPERAND_EXPECTED);
    }
  }

  private expectClosing(openedAt: number): void {
    const token = this.lexer.next();
    if (token.type === "rparen") return;
    const closes = `to close "(" at position ${openedAt}`;
    if (token.type === "end") throw unexpectedEnd(token.position, `expected ")" ${closes}`);
    throw unexpected(token, `expected "and", "or" or ")" ${closes}`);
  }

  // Checked on the way down, so hostile nesting fails before it can exhaust the stack.
  private deeper(depth: number, position: number): number {
    const next = depth + 1;
    if (next > this.limits.maxDepth) {
      const limit = `${this.limits.maxDepth} levels of parentheses and "not"`;
      throw badExpression(
        "TOO_DEEP",
        position,
        `Nesting too deep at position ${position}: the limit is ${limit}`,
      );
    }
    return next;
  }

  private countTerm(position: number): void {
    this.terms += 1;
    if (this.terms > this.limits.maxTerms) {
      throw badExpression(
        "TOO_MANY_TERMS",
        position,
        `Too many tags at position ${position}: the limit is ${this.limits.maxTerms} tags`,
      );
    }
  }
}

function isKeyword(token: Token, keyword: "and" | "or"): boolean {
  return token.type === "keyword" && token.keyword === keyword;
}

function unexpected(token: Exclude<Token, { type: "end" }>, hint: string) {
  const text =
    token.type === "lparen"
      ? "("
      : token.type === "rparen"
        ? ")"
        : token.type === "keyword"
          ? token.text
          : token.key;
  return badExpression(
    "UNEXPECTED_TOKEN",
    token.position,
    `Unexpected ${quoteInput(text)} at position ${token.position}: ${hint}`,
  );
}

function unexpectedEnd(position: number, hint: string) {
  return badExpression(
    "UNEXPECTED_END",
    position,
    `Unexpected end of expression at position ${position}: ${hint}`,
  );
}
