import { escapeXml } from '../report/render-junit';
import type { ValidationReport } from './report';

/** The report as JUnit XML: a suite per target (app × cluster, or path), a case per object; findings of error or warning severity fail it. */
export function renderValidationJunit(report: ValidationReport): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const suites = report.targets.map((t) => {
    const name = t.path ?? `${t.app}${t.cluster ? `@${t.cluster}` : ''}`;
    const byObject = new Map<string, typeof t.findings[number][]>();
    for (const f of t.findings) {
      const key = `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}`;
      byObject.set(key, [...(byObject.get(key) ?? []), f]);
    }
    const cases = [...byObject].map(([obj, fs]) => {
      const bad = fs.filter((f) => f.severity !== 'info');
      const body = bad.map((f) => `${f.severity} ${f.check}/${f.id}: ${f.message}${f.source ? ` at ${f.source.file}${f.source.line ? `:${f.source.line}` : ''}` : ''}`).join('\n');
      return { obj, failed: bad.length > 0, xml: `    <testcase classname="${escapeXml(name)}" name="${escapeXml(obj)}">${bad.length > 0 ? `<failure message="${escapeXml(`${bad.length} finding${bad.length === 1 ? '' : 's'}`)}">${escapeXml(body)}</failure>` : ''}</testcase>\n` };
    });
    const errors = t.problems.filter((p) => p.severity === 'error');
    const errorCase = errors.length > 0 ? `    <testcase classname="${escapeXml(name)}" name="render and schemas"><error message="${escapeXml(errors[0]!.message)}">${escapeXml(errors.map((p) => p.message).join('\n'))}</error></testcase>\n` : '';
    return { xml: `  <testsuite name="${escapeXml(name)}" tests="${cases.length + (errorCase ? 1 : 0)}" failures="${cases.filter((c) => c.failed).length}" errors="${errorCase ? 1 : 0}">\n${cases.map((c) => c.xml).join('')}${errorCase}  </testsuite>\n`, tests: cases.length, failures: cases.filter((c) => c.failed).length };
  });
  out.push(`<testsuites name="flotilla validate" tests="${suites.reduce((n, s) => n + s.tests, 0)}" failures="${suites.reduce((n, s) => n + s.failures, 0)}">\n`);
  out.push(...suites.map((s) => s.xml));
  out.push('</testsuites>\n');
  return out.join('');
}
