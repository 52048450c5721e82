import { forwardRef, useImperativeHandle, useRef } from "react";
import type { KeyboardEvent } from "react";
import { useI18n } from "../../i18n/i18n.js";
import { offsetOf } from "./policy-problems.js";
import type { PolicyProblem } from "./policy-problems.js";

export interface RulesEditorHandle {
  /** Moves the caret to a problem's line and column and brings it into view. */
  reveal(problem: PolicyProblem): void;
}

/**
 * The Cedar text in a monospace textarea with a line-number gutter; the line of the first problem
 * is marked in the gutter. Ctrl/⌘+S saves, Ctrl/⌘+Enter runs the dry run; Tab leaves the field, as
 * everywhere else on the page (keyboard users are not trapped in it).
 */
export const RulesEditor = forwardRef<
  RulesEditorHandle,
  { id: string; value: string; onChange: (value: string) => void; problemLine: number | null; describedBy: string; onSave: () => void; onDryRun: () => void }
>(function RulesEditor({ id, value, onChange, problemLine, describedBy, onSave, onDryRun }, ref) {
  const { t } = useI18n();
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  useImperativeHandle(ref, () => ({
    reveal(problem) {
      const element = area.current;
      if (!element || problem.line === null) return;
      const at = offsetOf(element.value, problem.line, problem.column ?? 1);
      element.focus();
      element.setSelectionRange(at, at);
      const lineHeight = parseFloat(getComputedStyle(element).lineHeight) || 20;
      element.scrollTop = Math.max(0, (problem.line - 3) * lineHeight);
      if (gutter.current) gutter.current.scrollTop = element.scrollTop;
    },
  }));
  const lines = Math.max(1, value.split("\n").length);
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!(event.ctrlKey || event.metaKey)) return;
    if (event.key === "s") {
      event.preventDefault();
      onSave();
    } else if (event.key === "Enter") {
      event.preventDefault();
      onDryRun();
    }
  };
  return (
    <div className="code-editor">
      <div className="gutter" ref={gutter} aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <span key={i} className={problemLine === i + 1 ? "line-error" : undefined} data-testid={problemLine === i + 1 ? "rules-error-line" : undefined}>
            {i + 1}
          </span>
        ))}
      </div>
      <textarea
        id={id}
        ref={area}
        value={value}
        spellCheck={false}
        wrap="off"
        rows={18}
        onChange={(event) => onChange(event.target.value)}
        onScroll={(event) => {
          if (gutter.current) gutter.current.scrollTop = event.currentTarget.scrollTop;
        }}
        onKeyDown={onKeyDown}
        aria-invalid={problemLine !== null}
        aria-describedby={describedBy}
        aria-keyshortcuts="Control+S Control+Enter"
        placeholder={t("rules.placeholder")}
        data-testid="rules-text"
      />
    </div>
  );
});
