// Environments in pipeline order: dev before staging before prod wherever they are listed, as the promotion pipelines
// say (a stage after the stage it is promoted from), then any other environment in the fleet file's order.

/** The stage names of Pipeline documents (raw parsed YAML) in promotion order: each stage after the one it is promoted from. */
export function pipelineStageOrder(pipelines: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const doc of pipelines) {
    const stages = rec(rec(doc)['spec'])['stages'];
    if (!Array.isArray(stages)) continue;
    const list = stages.map(rec).filter((s) => typeof s['name'] === 'string').map((s) => ({ name: s['name'] as string, from: typeof s['from'] === 'string' ? s['from'] : undefined }));
    const byName = new Map(list.map((s) => [s.name, s]));
    const depth = (s: { name: string; from?: string }, hops = 0): number => {
      const parent = s.from !== undefined ? byName.get(s.from) : undefined;
      return parent && hops < list.length ? depth(parent, hops + 1) + 1 : 0;
    };
    const ordered = list.map((s, i) => ({ s, d: depth(s), i })).sort((a, b) => a.d - b.d || a.i - b.i).map((x) => x.s.name);
    for (const n of ordered) if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** The environments in pipeline order, then those no pipeline names in the order given (the fleet file's). */
export function environmentOrder(stageOrder: readonly string[], environments: readonly string[]): string[] {
  const known = new Set(environments);
  return [...stageOrder.filter((s) => known.has(s)), ...[...new Set(environments)].filter((e) => !stageOrder.includes(e))];
}

/** Items sorted by their environment's place in `order` (stable; items of unlisted environments keep their order, last). */
export function sortByEnvironment<T>(items: readonly T[], environmentOf: (t: T) => string | undefined, order: readonly string[]): T[] {
  const rank = (t: T): number => {
    const i = order.indexOf(environmentOf(t) ?? '');
    return i < 0 ? order.length : i;
  };
  return items.map((t, i) => ({ t, i, r: rank(t) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.t);
}

function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
