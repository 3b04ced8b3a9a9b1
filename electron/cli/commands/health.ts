import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { assessHealth, healthCustomizationsFromConfigMap, parseHealthSpec } from '../../../shared/health';
import type { HealthCustomizations } from '../../../shared/health';
import type { KubeObject } from '../../../shared/model/status';
import type { Problem } from '../../../shared/problem';
import { problem } from '../../../shared/problem';
import { isRecord, parseYamlDocuments } from '../../../shared/yaml/documents';
import type { SourcePosition } from '../../../shared/yaml/node-position';
import { LuaHealthRunner } from '../../services/lua-health';
import type { CliContext } from '../context';
import { action, EXIT, outputOption } from '../context';
import type { OutputFormat } from '../output';
import { formatTable, printData, printProblems } from '../output';

/** One assessed object, as `flotilla health -o json` prints it. */
export interface HealthRow {
  readonly file: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly status: string;
  readonly message: string;
}

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  let text = '';
  for await (const chunk of process.stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

/** The objects of one file: every document, with `List`s (`kubectl get -o yaml`) expanded into their items. */
export function objectsOf(text: string, file: string): { objects: { obj: KubeObject; line: number }[]; problems: Problem[] } {
  const parsed = parseYamlDocuments(text, file);
  const problems: Problem[] = [...parsed.problems];
  const objects: { obj: KubeObject; line: number }[] = [];
  for (const doc of parsed.docs) {
    const v = doc.value;
    if (!isRecord(v) || typeof v.kind !== 'string') {
      problems.push(problem('expected a Kubernetes object (a mapping with apiVersion and kind)', { file, line: doc.line, column: 1 }));
      continue;
    }
    if (v.kind === 'List' || (v.kind.endsWith('List') && Array.isArray(v.items))) {
      const items = Array.isArray(v.items) ? v.items : [];
      items.forEach((item, i) => {
        if (isRecord(item) && typeof item.kind === 'string') objects.push({ obj: item as KubeObject, line: doc.line });
        else problems.push(problem(`items[${i}]: expected a Kubernetes object (a mapping with apiVersion and kind)`, { file, line: doc.line, column: 1 }));
      });
      continue;
    }
    objects.push({ obj: v as KubeObject, line: doc.line });
  }
  return { objects, problems };
}

/** Custom checks from a file: an argocd-cm ConfigMap or a Fleet file (`spec.health.customizations`). */
async function loadCustomizations(file: string): Promise<{ customizations: HealthCustomizations; positions: Record<string, SourcePosition>; problems: readonly Problem[] }> {
  const text = await readFile(file, 'utf8');
  const { objects, problems } = objectsOf(text, file);
  const out: Record<string, string> = {};
  const positions: Record<string, SourcePosition> = {};
  const all: Problem[] = [...problems];
  // Where each check's key is written, so a failed check names its line and column.
  const docs = parseYamlDocuments(text, file).docs;
  for (const { obj, line } of objects) {
    const parsed = obj.kind === 'ConfigMap'
      ? healthCustomizationsFromConfigMap(obj, file)
      : obj.kind === 'Fleet'
        ? parseHealthSpec(isRecord(obj.spec) ? obj.spec.health : undefined, file)
        : { customizations: {}, problems: [problem(`expected an argocd-cm ConfigMap or a Fleet file, got kind ${obj.kind ?? '(none)'}`, { file, line, column: 1 })] };
    const doc = docs.find((d) => d.line === line);
    for (const key of Object.keys(parsed.customizations)) {
      if (doc && obj.kind === 'Fleet') positions[key] = doc.at(['spec', 'health', 'customizations', key], 'key');
      else if (doc && isRecord(obj.data) && `resource.customizations.health.${key}` in obj.data) positions[key] = doc.at(['data', `resource.customizations.health.${key}`], 'key');
    }
    Object.assign(out, parsed.customizations);
    all.push(...parsed.problems);
  }
  return { customizations: out, positions, problems: all };
}

/** `flotilla health -f FILE`: Argo CD's health of the objects in YAML or JSON files, offline. */
export function registerHealth(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('health')
    .description("assess the health of Kubernetes objects in YAML/JSON files (e.g. `kubectl get deploy -o yaml`) with Argo CD's rules")
    .option('-f, --filename <file>', 'a YAML or JSON file of objects (required); repeat for more; - reads standard input', (v: string, prev: string[] = []) => [...prev, v])
    .option('--customizations <file>', 'custom Lua health checks: an argocd-cm ConfigMap (resource.customizations.health.<group>_<kind>) or a Fleet file (spec.health.customizations)');
  outputOption(cmd).action(
    action(ctx, async (opts: { filename?: string[]; customizations?: string; output: OutputFormat }) => {
      const files = opts.filename ?? [];
      if (files.length === 0) {
        ctx.io.err('error: flotilla health needs at least one -f, --filename FILE (- reads standard input)\n');
        return EXIT.error;
      }
      const problems: Problem[] = [];
      let runner: LuaHealthRunner | undefined;
      if (opts.customizations) {
        try {
          const loaded = await loadCustomizations(opts.customizations);
          problems.push(...loaded.problems);
          runner = new LuaHealthRunner(loaded.customizations, undefined, opts.customizations, loaded.positions);
        } catch (err) {
          problems.push(problem(`cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { file: opts.customizations }));
        }
      }
      const rows: HealthRow[] = [];
      for (const file of files) {
        let text: string;
        try {
          text = await readInput(file);
        } catch (err) {
          problems.push(problem(`cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, { file: displayName(file) }));
          continue;
        }
        const { objects, problems: fileProblems } = objectsOf(text, displayName(file));
        problems.push(...fileProblems);
        await runner?.evaluate(objects.map((o) => o.obj));
        for (const { obj } of objects) {
          const meta = isRecord(obj.metadata) ? obj.metadata : {};
          const h = assessHealth(obj, runner ? { custom: runner } : undefined);
          rows.push({
            file: displayName(file),
            kind: obj.kind ?? '',
            namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
            name: typeof meta.name === 'string' ? meta.name : '',
            status: h.status,
            message: h.message,
          });
        }
      }
      // A check stopped at its deadline or memory cap: one Problem naming it, not one per object.
      problems.push(...(runner?.stoppedProblems() ?? []));
      // Nothing assessed and only errors to show: no empty table on stdout (JSON/YAML still print []).
      if (rows.length > 0 || problems.length === 0 || opts.output !== 'table') printData(ctx.io, opts.output, rows, () =>
        formatTable(['kind', 'namespace', 'name', 'health', 'message'], rows.map((r) => [r.kind, r.namespace, r.name, r.status, r.message.replace(/\s*\n\s*/g, ' ')])));
      printProblems(ctx.io, problems);
      runner?.close();
      return problems.some((p) => p.severity === 'error') ? EXIT.error : EXIT.ok;
    }),
  );
}
