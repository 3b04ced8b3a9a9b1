import type { Problem } from '../../../shared/problem';
import { formatProblem } from '../../../shared/problem';
import { capProblems, omittedLines } from '../../../shared/problem-cap';

/**
 * Problems where they belong: each with its file, line and column, never a stack trace. The first 20 of each kind
 * are listed and the rest counted, so thousands of the same problem do not bury the one that differs.
 */
export function ProblemList({ problems, title = 'Problems' }: { readonly problems: readonly Problem[]; readonly title?: string }) {
  if (problems.length === 0) return null;
  const capped = capProblems(problems);
  return (
    <section className="problems" aria-label={title}>
      <h3>
        {title} <span className="count">{problems.length.toLocaleString('en-US')}</span>
      </h3>
      <ul>
        {capped.shown.map((p, i) => (
          <li key={i} className={`problem ${p.severity}`}>
            <span className="severity">{p.severity}</span> <code>{formatProblem(p)}</code>
          </li>
        ))}
        {omittedLines(capped).map((line, i) => (
          <li key={`more-${i}`} className="problem more">
            {line}
          </li>
        ))}
      </ul>
    </section>
  );
}
