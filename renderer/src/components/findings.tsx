import type { ValidationFinding } from '../../../shared/validate/finding';
import { formatSource, sourceWebLink } from '../../../shared/validate/source-link';
import { useStore } from '../store';

/** The repository's http(s) URL from the fleet file, for links to a finding's file and line. */
function useRepoWebURL(): string | undefined {
  return useStore((s) => s.overview?.repo.fleet?.repoURLs.find((u) => /^https?:\/\//.test(u)));
}

/** A finding's file:line, linked to the repository's web view at `revision` when the repository is on an http(s) host. */
export function SourceLink({ finding, revision }: { readonly finding: ValidationFinding; readonly revision: string }) {
  const repoURL = useRepoWebURL();
  if (!finding.source) return <span className="muted">—</span>;
  const text = formatSource(finding.source);
  const href = sourceWebLink(repoURL, revision, finding.source);
  return href ? (
    <a href={href} target="_blank" rel="noreferrer noopener" title={`Open ${text} in the repository`}>
      <code>{text}</code>
    </a>
  ) : (
    <code>{text}</code>
  );
}

/**
 * Validation findings as a table: severity, check and rule, object, message with its remediation, and the source
 * file and line. Security-score summaries are listed apart (a score is not a problem unless a critical rule matched).
 */
export function FindingList({ findings, revision, label }: { readonly findings: readonly ValidationFinding[]; readonly revision: string; readonly label: string }) {
  const shown = findings.filter((f) => f.severity !== 'info' && f.score === undefined);
  const scores = findings.filter((f) => f.score !== undefined);
  return (
    <section aria-label={label}>
      {shown.length === 0 ? (
        <p role="status">No findings.</p>
      ) : (
        <table className="grid findings" aria-label={`${label}: findings`}>
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Check</th>
              <th scope="col">Object</th>
              <th scope="col">Finding</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((f, i) => (
              <tr key={i} className={`finding ${f.severity}`}>
                <td>
                  <span className={`severity ${f.severity}`}>{f.severity}</span>
                </td>
                <td>
                  <code>
                    {f.check}/{f.id}
                  </code>
                </td>
                <td>
                  {f.object.kind} <code>{f.object.name}</code>
                </td>
                <td>
                  {f.message}
                  {f.remediation ? <div className="muted">{f.remediation}</div> : null}
                </td>
                <td>
                  <SourceLink finding={f} revision={revision} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {scores.length > 0 && (
        <table className="grid" aria-label={`${label}: security scores`}>
          <thead>
            <tr>
              <th scope="col">Workload</th>
              <th scope="col">kubesec score</th>
              <th scope="col">Points</th>
            </tr>
          </thead>
          <tbody>
            {scores.map((f, i) => (
              <tr key={i}>
                <td>
                  {f.object.kind} <code>{f.object.name}</code>
                </td>
                <td>
                  {f.score} {f.severity === 'error' ? <span className="severity error">failed</span> : <span className="muted">passed</span>}
                </td>
                <td className="muted">{f.message.replace(/^.*points: /, '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
