/** A problem a person can act on: where it is (file, line, column; cluster, resource) and what was expected. */
export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Repository-relative POSIX path of the file at fault. */
  readonly file?: string;
  /** 1-based line in `file`. */
  readonly line?: number;
  /** 1-based column in `file`. */
  readonly column?: number;
  readonly cluster?: string;
  /** `group/kind/namespace/name` (or any readable id) of the resource at fault. */
  readonly resource?: string;
  readonly appset?: string;
  readonly app?: string;
}

/** An Error that carries a Problem, so callers can show where it happened rather than a stack trace. */
export class FlotillaError extends Error {
  constructor(readonly problem: Problem) {
    super(formatProblem(problem));
    this.name = 'FlotillaError';
  }
}

/** Builds an error Problem; the short form every module uses. */
export function problem(message: string, where: Omit<Problem, 'message' | 'severity'> = {}): Problem {
  return { severity: 'error', message, ...where };
}

/** Renders a Problem as one line: `file:line:col: message (cluster c, resource r)`. */
export function formatProblem(p: Problem): string {
  let loc = p.file ?? '';
  if (p.file && p.line !== undefined) loc += `:${p.line}` + (p.column !== undefined ? `:${p.column}` : '');
  const ctx = [
    p.appset ? `ApplicationSet ${p.appset}` : '',
    p.app ? `app ${p.app}` : '',
    p.cluster ? `cluster ${p.cluster}` : '',
    p.resource ? `resource ${p.resource}` : '',
  ].filter(Boolean);
  return (loc ? `${loc}: ` : '') + p.message + (ctx.length ? ` (${ctx.join(', ')})` : '');
}

/** Turns anything thrown into a Problem, keeping a FlotillaError's location. */
export function toProblem(err: unknown, where: Omit<Problem, 'message' | 'severity'> = {}): Problem {
  if (err instanceof FlotillaError) return { ...where, ...err.problem };
  const message = err instanceof Error ? err.message : String(err);
  return problem(message, where);
}
