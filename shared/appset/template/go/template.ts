// Compiling Go templates once per source text and running them, as Argo CD's Render.Replace does with `template.New("base")`.
import type { FuncMap, MissingKey } from './exec';
import { execute } from './exec';
import type { ParsedTemplates } from './parse';
import { parseTemplate } from './parse';

/** The template name Argo CD parses with; it appears in Go's error locations (`template: base:1:7: ...`). */
export const PARSE_NAME = 'base';

const MAX_CACHE = 50_000;

/** A cache of parsed templates for one function map; parse failures are cached too. */
export class GoTemplateCache {
  private readonly parsed = new Map<string, ParsedTemplates | Error>();

  constructor(private readonly funcs: FuncMap) {}

  /** Parses `text` (or returns the cached tree); throws GoParseError. */
  parse(text: string): ParsedTemplates {
    let t = this.parsed.get(text);
    if (t === undefined) {
      try {
        t = parseTemplate(PARSE_NAME, text, (n) => this.funcs.has(n));
      } catch (e) {
        t = e instanceof Error ? e : new Error(String(e));
      }
      if (this.parsed.size >= MAX_CACHE) this.parsed.clear();
      this.parsed.set(text, t);
    }
    if (t instanceof Error) throw t;
    return t;
  }

  /** Executes a parsed template with `data`; throws GoExecError. */
  execute(tmpl: ParsedTemplates, data: unknown, missingKey: MissingKey): string {
    return execute(tmpl, PARSE_NAME, this.funcs, data, missingKey);
  }
}
