/** A line diff of two policy texts (longest common subsequence), for the confirmation before saving. */
export function diffLines(before: string, after: string): Array<{ kind: "same" | "removed" | "added"; text: string }> {
  const a = before ? before.split("\n") : [];
  const b = after ? after.split("\n") : [];
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: Array<{ kind: "same" | "removed" | "added"; text: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i]! });
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!))
      out.push({ kind: "added", text: b[j++]! });
    else out.push({ kind: "removed", text: a[i++]! });
  }
  return out;
}

export function PolicyDiff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(before, after);
  return (
    <pre className="diff" aria-label="Changes" tabIndex={0}>
      {lines.map((l, i) => (
        <div key={i} className={`diff-${l.kind}`}>
          <span aria-hidden="true">{l.kind === "added" ? "+ " : l.kind === "removed" ? "- " : "  "}</span>
          <span className="visually-hidden">{l.kind === "same" ? "" : `${l.kind}: `}</span>
          {l.text}
        </div>
      ))}
      {lines.length === 0 ? <div className="muted">(no policy before or after)</div> : null}
    </pre>
  );
}
