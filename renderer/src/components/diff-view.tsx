/** One line of a unified diff, classified. */
interface DiffLine {
  readonly kind: 'add' | 'del' | 'ctx' | 'hunk' | 'head';
  readonly text: string;
}

function classify(diff: string): DiffLine[] {
  return diff
    .replace(/\n$/, '')
    .split('\n')
    .map((text): DiffLine => {
      if (text.startsWith('=====') || text.startsWith('---') || text.startsWith('+++')) return { kind: 'head', text };
      if (text.startsWith('@@')) return { kind: 'hunk', text };
      if (text.startsWith('+')) return { kind: 'add', text };
      if (text.startsWith('-')) return { kind: 'del', text };
      return { kind: 'ctx', text };
    });
}

/** A YAML line with its key highlighted. */
function YamlText({ text }: { readonly text: string }) {
  const m = /^(\s*-?\s*)([^\s:#][^:#]*?)(:)(\s|$)(.*)$/.exec(text);
  if (!m) return <>{text}</>;
  return (
    <>
      {m[1]}
      <span className="y-key">{m[2]}</span>
      {m[3]}
      {m[4]}
      <span className="y-val">{m[5]}</span>
    </>
  );
}

/** A unified diff (desired vs live, Secret values already masked), side by side: live on the left, desired on the right. */
export function SideBySideDiff({ diff, label }: { readonly diff: string; readonly label: string }) {
  const rows: { left?: DiffLine; right?: DiffLine }[] = [];
  let dels: DiffLine[] = [];
  let adds: DiffLine[] = [];
  const flush = (): void => {
    const n = Math.max(dels.length, adds.length);
    for (let i = 0; i < n; i++) rows.push({ ...(dels[i] ? { left: dels[i] } : {}), ...(adds[i] ? { right: adds[i] } : {}) });
    dels = [];
    adds = [];
  };
  for (const l of classify(diff)) {
    if (l.kind === 'del') dels.push(l);
    else if (l.kind === 'add') adds.push(l);
    else {
      flush();
      if (l.kind !== 'head') rows.push({ left: l, right: l });
    }
  }
  flush();
  const cell = (l: DiffLine | undefined) => (
    <td className={`d-${l?.kind ?? 'none'}`}>
      <code>{l ? <YamlText text={l.kind === 'hunk' ? l.text : l.text.slice(1)} /> : ''}</code>
    </td>
  );
  return (
    <table className="diff" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Live</th>
          <th scope="col">Desired (Git)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {cell(r.left)}
            {cell(r.right)}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
