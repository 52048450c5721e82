import { Fragment } from "react";

const LINK = /(https?:\/\/[^\s]+)/g;
const PLACEHOLDER = /(\{\{\s*(?:coupon|firstName)\s*\}\})/g;

/** The message as plain text, links and placeholders marked; never rendered as HTML. */
export function MessagePreview({ text }: { text: string }) {
  return (
    <p className="message-preview">
      {text.split(LINK).map((part, i) =>
        i % 2 === 1 ? (
          <mark key={i} className="link">
            {part}
          </mark>
        ) : (
          <Fragment key={i}>
            {part.split(PLACEHOLDER).map((piece, j) =>
              j % 2 === 1 ? (
                <code key={j} className="placeholder">
                  {piece}
                </code>
              ) : (
                <Fragment key={j}>{piece}</Fragment>
              ),
            )}
          </Fragment>
        ),
      )}
    </p>
  );
}
