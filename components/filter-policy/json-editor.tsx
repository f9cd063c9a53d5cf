"use client";
import { useEffect, useRef } from "react";
import { basicSetup } from "codemirror";
import { json } from "@codemirror/lang-json";
import { linter, lintGutter, type Diagnostic } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView } from "@codemirror/view";

export interface TextProblem {
  message: string;
  /** 1-based line and column where the text stops being valid JSON. */
  position?: { line: number; column: number };
}

/**
 * The JSON tab: a code editor with JSON highlighting, bracket matching and the parser's error
 * marked where it happens. `diagnose` is asked for the problem of the current text.
 */
export function JsonEditor({
  value,
  onChange,
  label,
  diagnose,
  readOnly = false,
}: {
  value: string;
  onChange: (text: string) => void;
  label: string;
  diagnose: (text: string) => TextProblem | undefined;
  /** Shown, selectable and copyable, but not editable (for a role that cannot change it). */
  readOnly?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The editor is created once; these refs let its callbacks see the latest props.
  const latest = useRef({ onChange, diagnose });
  latest.current = { onChange, diagnose };

  useEffect(() => {
    const problems = linter(
      (v): Diagnostic[] => {
        const problem = latest.current.diagnose(v.state.doc.toString());
        if (!problem?.position) return [];
        const line = v.state.doc.line(Math.min(Math.max(problem.position.line, 1), v.state.doc.lines));
        const from = Math.min(line.from + Math.max(problem.position.column - 1, 0), line.to);
        return [{ from, to: Math.min(from + 1, v.state.doc.length), severity: "error", message: problem.message }];
      },
      { delay: 300 },
    );
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          json(),
          EditorView.lineWrapping,
          problems,
          lintGutter(),
          EditorView.contentAttributes.of({ "aria-label": label, ...(readOnly ? { "aria-readonly": "true" } : {}) }),
          EditorState.readOnly.of(readOnly),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => created.destroy();
    // Created once per mount; later values arrive through the effect below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const current = view.current;
    if (current && current.state.doc.toString() !== value) {
      current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: value } });
    }
  }, [value]);

  return <div ref={host} className="json-editor" />;
}
