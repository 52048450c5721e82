import { badExpression, quoteInput } from "./tag-expression.errors.js";
import { checkTagKey, MAX_TAG_KEY_LENGTH, type TagKeyProblem } from "./tag-key.js";

export type Keyword = "and" | "or" | "not";

/** `position` is the 1-based code-point position of the token's first character. */
export type Token =
  | { type: "lparen"; position: number }
  | { type: "rparen"; position: number }
  | { type: "keyword"; keyword: Keyword; text: string; position: number }
  | { type: "tag"; key: string; dimension: string; value: string; position: number }
  | { type: "end"; position: number };

// \s includes U+3000 (ideographic space), which IME users type between words.
const WHITESPACE = /^\s$/u;
// The i flag without u folds ASCII only, so no exotic letter can spell a keyword.
const KEYWORD = /^(?:and|or|not)$/i;

const TAG_HINTS: Readonly<Record<TagKeyProblem, string>> = {
  NO_COLON: "a tag is dimension:value, like age:18-24",
  BAD_DIMENSION: "the dimension must start with a lowercase letter and use only a-z, 0-9 and _",
  BAD_VALUE: "the value must start with a letter or digit and use only letters, digits, _ + . -",
  TOO_LONG: `a tag has at most ${MAX_TAG_KEY_LENGTH} characters`,
};

/**
 * Hands out tokens on demand rather than all at once, so the error reported is always the first
 * one in the input (in `and x`, the misplaced `and`, not whatever follows it).
 */
export class TagExpressionLexer {
  private index = 0;
  private position = 1;
  private lookahead: Token | undefined;

  constructor(private readonly input: string) {}

  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = undefined;
    return token;
  }

  private read(): Token {
    this.skipWhitespace();
    const position = this.position;
    const ch = this.current();
    if (ch === undefined) return { type: "end", position };
    if (ch === "(" || ch === ")") {
      this.advance(ch);
      return { type: ch === "(" ? "lparen" : "rparen", position };
    }
    return this.readWord(position);
  }

  private readWord(position: number): Token {
    const start = this.index;
    for (let ch = this.current(); ch !== undefined; ch = this.current()) {
      if (ch === "(" || ch === ")" || WHITESPACE.test(ch)) break;
      this.advance(ch);
    }
    const word = this.input.slice(start, this.index);
    if (KEYWORD.test(word)) {
      return { type: "keyword", keyword: word.toLowerCase() as Keyword, text: word, position };
    }
    const check = checkTagKey(word);
    if (!check.ok) {
      throw badExpression(
        "BAD_TAG",
        position,
        `Invalid tag ${quoteInput(word)} at position ${position}: ${TAG_HINTS[check.problem]}`,
      );
    }
    return { type: "tag", key: word, dimension: check.dimension, value: check.value, position };
  }

  private skipWhitespace(): void {
    for (let ch = this.current(); ch !== undefined && WHITESPACE.test(ch); ch = this.current()) {
      this.advance(ch);
    }
  }

  private current(): string | undefined {
    const codePoint = this.input.codePointAt(this.index);
    return codePoint === undefined ? undefined : String.fromCodePoint(codePoint);
  }

  private advance(ch: string): void {
    this.index += ch.length;
    this.position += 1;
  }
}
