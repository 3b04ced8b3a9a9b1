import type { ValidationFinding } from './finding';
import type { ValidationReport } from './report';
import { allFindings } from './report';

// A validation report as SARIF 2.1.0, the format code-scanning UIs read: one run of the tool "flotilla", a rule per
// check and id, a result per finding located at its file, line and column (repository-relative URIs).

const LEVEL: Readonly<Record<ValidationFinding['severity'], string>> = { error: 'error', warning: 'warning', info: 'note' };

/** The report as a SARIF log (JSON text). Informational score summaries are left out: they are not problems. */
export function renderValidationSarif(report: ValidationReport, toolVersion: string): string {
  const findings = allFindings(report).filter((f) => f.severity !== 'info');
  const rules = new Map<string, ValidationFinding>();
  for (const f of findings) if (!rules.has(ruleId(f))) rules.set(ruleId(f), f);
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flotilla',
            informationUri: 'https://flotilla.dev',
            version: toolVersion,
            rules: [...rules.entries()].map(([id, f]) => ({ id, name: f.id, shortDescription: { text: `${f.check}: ${f.id}` }, ...(f.remediation ? { help: { text: f.remediation } } : {}), defaultConfiguration: { level: LEVEL[f.severity] } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: ruleId(f),
          ruleIndex: ruleIndex.get(ruleId(f)),
          level: LEVEL[f.severity],
          message: { text: `${f.message}${f.cluster ? ` (cluster ${f.cluster}${f.app ? `, app ${f.app}` : ''})` : ''}${f.remediation ? `. ${f.remediation}` : ''}` },
          locations: f.source
            ? [{ physicalLocation: { artifactLocation: { uri: f.source.file, uriBaseId: '%SRCROOT%' }, ...(f.source.line !== undefined ? { region: { startLine: f.source.line, ...(f.source.column !== undefined ? { startColumn: f.source.column } : {}) } } : {}) } }]
            : [],
          ...(f.fieldPath ? { properties: { fieldPath: f.fieldPath, object: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` } } : { properties: { object: `${f.object.kind}/${f.object.namespace ? `${f.object.namespace}/` : ''}${f.object.name}` } }),
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleId(f: ValidationFinding): string {
  return `${f.check}/${f.id}`;
}
