// go-yaml (which Argo CD and helm read manifests with) accepts a flow collection in block context whose continuation
// lines are indented no deeper than its key, as charts often print:
//
//   command: [ "/bin/sh",
//   "-ce", "…" ]
//
// The `yaml` package refuses it ("Flow sequence in block collection must be sufficiently indented"). Indenting such
// continuation lines changes no value (line folding inside flow context drops leading white space), so a stream that
// fails this way is read again after this pass.

/** Indents continuation lines of flow collections (`[…]`, `{…}`) spanning lines deeper than the line that opened them. */
export function indentFlowContinuations(text: string): string {
  const lines = text.split('\n');
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let openIndent = 0;
  let blockIndent = -1; // inside a block scalar (`|`, `>`) opened by a line of this indentation
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const lineIndent = line.length - line.trimStart().length;
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      depth = 0;
      quote = undefined;
      blockIndent = -1;
      continue;
    }
    if (blockIndent >= 0) {
      if (line.trim() === '' || lineIndent > blockIndent) continue;
      blockIndent = -1;
    }
    if (depth > 0 || quote) {
      const indent = line.length - line.trimStart().length;
      if (line.trim() !== '' && indent <= openIndent) {
        line = ' '.repeat(openIndent + 2 - indent) + line;
        lines[n] = line;
      }
    } else if (/(^|[\s:-])[|>][+-]?[0-9]?[+-]?\s*(#.*)?$/.test(line)) {
      blockIndent = lineIndent;
      continue;
    }
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\') i++;
        else if (c === '"') quote = undefined;
      } else if (quote === "'") {
        if (c === "'" && line[i + 1] === "'") i++;
        else if (c === "'") quote = undefined;
      } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      else if (c === '"' || c === "'") {
        if (depth > 0 || i === 0 || /[\s:[{,-]/.test(line[i - 1]!)) quote = c;
      } else if (c === '[' || c === '{') {
        if (depth === 0) {
          if (i > 0 && !/[\s:-]/.test(line[i - 1]!)) continue;
          openIndent = line.length - line.trimStart().length;
        }
        depth++;
      } else if ((c === ']' || c === '}') && depth > 0) depth--;
    }
  }
  return lines.join('\n');
}
