// Tag-like as an HTML parser reads it: `<` then a letter, `/`, `!` or `?` (no space between), up
// to a `>`; also comments and any named or numeric character reference (`&amp;`, `&#60;`).
// `a < b > c` is not a tag to any parser and stays plain text.
const TAG = /<[/!?]?[A-Za-z][^<>]*>|<!--/;
const ENTITY = /&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);/;

/** UTF-16 index of the first HTML tag or entity in `text`, or -1. */
export function findHtml(text: string): number {
  const tag = TAG.exec(text)?.index ?? -1;
  const entity = ENTITY.exec(text)?.index ?? -1;
  if (tag < 0) return entity;
  if (entity < 0) return tag;
  return Math.min(tag, entity);
}

// C0 and C1 controls other than tab, line feed and carriage return; bidirectional overrides and
// isolates (they can make a link read as another); lone surrogates (not storable as UTF-8).
const BAD_CHARACTER =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** UTF-16 index of the first character that may not appear in a message, or -1. */
export function findBadCharacter(text: string): number {
  return BAD_CHARACTER.exec(text)?.index ?? -1;
}
