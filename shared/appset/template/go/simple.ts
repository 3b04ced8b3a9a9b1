// A fast path for the commonest ApplicationSet templates: literal text, field lookups such as `{{ .path.basename }}`
// and map lookups such as `{{ index .metadata.labels "environment" }}`.
//
// Most Application templates are only that (`'{{.path.basename}}-{{.name}}'`), and run tens of thousands of times in a
// fleet; the full interpreter (parse tree, pipelines, commands, the missing-key rules) costs several times what
// looking the fields up does. A template is "simple" when every action is one field chain (`.a`, `.a.b`, ASCII
// identifiers), or Go's builtin `index` of a field chain by quoted string keys without escapes, with optional trim
// markers and spaces: no pipeline, other function, variable, comment, `.` alone or keyword. Running one answers only
// the plain case — every field and key on the way is present in a map and the last value is a string — and gives up
// (undefined) on anything else (a missing key, a number, a nil, a non-map receiver, output past the limit), so that
// the full engine decides what that means: `<no value>`, the zero value, or which error. The function map the
// templates run with must have Go's `index` (ApplicationSet templates do: it is a builtin no other function replaces).
import { TEMPLATE_LIMITS } from '../limits';
import { isGoObject, isMap } from './values';

/** A template of literal text and lookups: `texts[0]`, value of action 0, `texts[1]`, … `texts[n]`. */
export interface SimpleTemplate {
  /** The literal text around the actions, trim markers already applied; one more than `fields`. */
  readonly texts: readonly string[];
  /** Each action's field chain (`.path.basename` → ['path', 'basename']). */
  readonly fields: readonly (readonly string[])[];
  /** Each action's `index` keys after its field chain (`index .a "k"` → ['k']; none for a plain field). */
  readonly keys: readonly (readonly string[])[];
}

/** Go's isSpace for trim markers and the space inside actions. */
function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}

function isIdentPart(c: string | undefined): boolean {
  return isIdentStart(c) || (c !== undefined && c >= '0' && c <= '9');
}

function trimSpaceEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * The simple form of a Go template (default delimiters), or undefined when the template holds anything but literal
 * text and field-chain actions (the full engine then parses and runs it).
 */
export function compileSimple(text: string): SimpleTemplate | undefined {
  const texts: string[] = [];
  const fields: string[][] = [];
  const keys: string[][] = [];
  let pos = 0;
  /** Whether the action before the current text ended with a `-}}` (the text's leading space goes). */
  let trimNext = false;
  for (;;) {
    const x = text.indexOf('{{', pos);
    let before = text.slice(pos, x < 0 ? text.length : x);
    if (trimNext) {
      let start = 0;
      while (start < before.length && isSpace(before[start])) start++;
      before = before.slice(start);
    }
    if (x < 0) {
      texts.push(before);
      return { texts, fields, keys };
    }
    // "{{- " (a dash and a space) trims the space before the action.
    const trimLeft = text[x + 2] === '-' && isSpace(text[x + 3]);
    texts.push(trimLeft ? trimSpaceEnd(before) : before);
    let p = x + (trimLeft ? 4 : 2);
    while (isSpace(text[p])) p++;
    // `index` and a space: a field chain and quoted keys follow.
    const indexed = text.startsWith('index', p) && isSpace(text[p + 5]);
    if (indexed) {
      p += 5;
      while (isSpace(text[p])) p++;
    }
    const chain: string[] = [];
    while (text[p] === '.' && isIdentStart(text[p + 1])) {
      const start = p + 1;
      p = start + 1;
      while (isIdentPart(text[p])) p++;
      chain.push(text.slice(start, p));
    }
    if (chain.length === 0) return undefined;
    const indexKeys: string[] = [];
    if (indexed) {
      // Each key: spaces, then "text" without a backslash or newline (its value is the text as written).
      for (;;) {
        let q = p;
        while (isSpace(text[q])) q++;
        if (q === p || text[q] !== '"') break;
        const end = text.indexOf('"', q + 1);
        if (end < 0) return undefined;
        const key = text.slice(q + 1, end);
        if (key.includes('\\') || key.includes('\n')) return undefined;
        indexKeys.push(key);
        p = end + 1;
      }
      if (indexKeys.length === 0) return undefined;
    }
    // After the chain: spaces (not the one of a " -}}"), then "}}" or " -}}"; anything else is not simple.
    if (text[p] !== '}' && !isSpace(text[p])) return undefined;
    while (isSpace(text[p]) && !(text[p + 1] === '-' && text.startsWith('}}', p + 2))) p++;
    if (text.startsWith('}}', p)) {
      trimNext = false;
      pos = p + 2;
    } else if (isSpace(text[p]) && text[p + 1] === '-' && text.startsWith('}}', p + 2)) {
      trimNext = true;
      pos = p + 4;
    } else {
      return undefined;
    }
    fields.push(chain);
    keys.push(indexKeys);
  }
}

/**
 * Runs a simple template on `data` when every field chain leads through maps to a string; undefined otherwise (the
 * full engine then runs the template, with its rules for missing keys, other values and errors).
 */
export function runSimple(t: SimpleTemplate, data: unknown): string | undefined {
  let out = t.texts[0]!;
  for (let i = 0; i < t.fields.length; i++) {
    const chain = t.fields[i]!;
    let v: unknown = data;
    for (let j = 0; j < chain.length; j++) {
      if (!isMap(v) || isGoObject(v) || !Object.prototype.hasOwnProperty.call(v, chain[j]!)) return undefined;
      v = v[chain[j]!];
    }
    const index = t.keys[i]!;
    for (let j = 0; j < index.length; j++) {
      if (!isMap(v) || isGoObject(v) || !Object.prototype.hasOwnProperty.call(v, index[j]!)) return undefined;
      v = v[index[j]!];
    }
    if (typeof v !== 'string') return undefined;
    out += v;
    out += t.texts[i + 1]!;
  }
  return out.length > TEMPLATE_LIMITS.maxOutputBytes ? undefined : out;
}
