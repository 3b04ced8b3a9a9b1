// A drift report's input with the signature of the commit each app × cluster runs, verified in the repository (one git
// process for the commits not verified before). Used by `flotilla drift-report` and the Reports page alike.
import type { Problem } from '../../shared/problem';
import { reportRevisions, withReportSignatures } from '../../shared/report/drift-report';
import type { DriftReportInput } from '../../shared/report/model';
import { verifyRevisions } from './git-signatures';

/** The input with verified signatures; where git could not verify, the entries stay without one and a warning says why. */
export async function signReportInput(input: DriftReportInput, repoRoot: string): Promise<{ readonly input: DriftReportInput; readonly problem?: Problem }> {
  const { verdicts, problem } = await verifyRevisions(repoRoot, reportRevisions(input));
  return { input: withReportSignatures(input, verdicts), ...(problem ? { problem } : {}) };
}
