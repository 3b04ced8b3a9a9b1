import type { Problem } from '../problem';
import { FlotillaError, formatProblem, toProblem } from '../problem';

/** What crosses a transport for one call: the result, or the Problem that stopped it (never a stack trace). */
export type Envelope<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly problem: Problem };

/** Runs a handler and wraps its outcome in an Envelope. */
export async function toEnvelope<T>(run: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, result: await run() };
  } catch (err) {
    return { ok: false, problem: toProblem(err) };
  }
}

/** An error a UI receives from the engine, with the Problem that explains it. */
export class ApiError extends FlotillaError {
  constructor(problem: Problem) {
    super(problem);
    this.name = 'ApiError';
    this.message = formatProblem(problem);
  }
}

/** Unwraps an Envelope: the result, or an ApiError carrying the Problem. */
export function fromEnvelope<T>(env: Envelope<T>): T {
  if (env.ok) return env.result;
  throw new ApiError(env.problem);
}
