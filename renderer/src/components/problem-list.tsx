import type { Problem } from '../../../shared/problem';
import { formatProblem } from '../../../shared/problem';

/** Problems where they belong: each with its file, line and column, never a stack trace. */
export function ProblemList({ problems, title = 'Problems' }: { readonly problems: readonly Problem[]; readonly title?: string }) {
  if (problems.length === 0) return null;
  return (
    <section className="problems" aria-label={title}>
      <h3>
        {title} <span className="count">{problems.length}</span>
      </h3>
      <ul>
        {problems.map((p, i) => (
          <li key={i} className={`problem ${p.severity}`}>
            <span className="severity">{p.severity}</span> <code>{formatProblem(p)}</code>
          </li>
        ))}
      </ul>
    </section>
  );
}
