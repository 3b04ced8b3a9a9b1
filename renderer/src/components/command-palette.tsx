import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../store';
import type { Page } from '../store/nav-slice';
import { gridRowKey } from '../../../shared/fleet/grid';
import { sortByEnvironment } from '../../../shared/fleet/environment-order';

/** One thing the palette can do. */
interface Command {
  readonly id: string;
  readonly label: string;
  readonly kind: 'app' | 'cluster' | 'appset' | 'page' | 'action';
  run(): void;
}

const PAGE_LABELS: readonly [Exclude<Page, 'app'>, string][] = [
  ['fleet', 'Fleet'],
  ['applications', 'Applications'],
  ['applicationsets', 'ApplicationSets'],
  ['promotions', 'Promotions'],
  ['reports', 'Reports'],
  ['notifications', 'Notifications'],
  ['clusters', 'Clusters'],
];

/** The command palette (Ctrl/Cmd+K): finds any app, cluster, ApplicationSet, page or action, all by keyboard. */
export function CommandPalette() {
  const open = useStore((s) => s.paletteOpen);
  const setOpen = useStore((s) => s.setPaletteOpen);
  const overview = useStore((s) => s.overview);
  const loadError = useStore((s) => s.loadError);
  const navigate = useStore((s) => s.navigate);
  const openApp = useStore((s) => s.openApp);
  const go = useStore((s) => s.go);
  const appRef = useStore((s) => s.appRef);
  const refresh = useStore((s) => s.refresh);
  const [q, setQ] = useState('');
  const [active, setActive] = useState(0);
  // The grid shows before the repository's overview is read (apps, clusters, ApplicationSets come with it): an Enter
  // pressed meanwhile runs the first match once it is read, never a match from the partial list.
  const [pending, setPending] = useState(false);
  const reading = !overview && !loadError;
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setOpen(!useStore.getState().paletteOpen);
      } else if (e.key === 'Escape' && useStore.getState().paletteOpen) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setOpen]);
  useEffect(() => {
    if (open) {
      setQ('');
      setActive(0);
      setPending(false);
      input.current?.focus();
    }
  }, [open]);

  // Built when the palette opens, not with every overview read: 30,000 apps are as many commands.
  const commands = useMemo<Command[]>(() => {
    if (!open) return [];
    const out: Command[] = PAGE_LABELS.map(([page, label]) => ({ id: `page:${page}`, label: `Go to ${label}`, kind: 'page', run: () => navigate(page) }));
    out.push({ id: 'action:refresh', label: 'Refresh the fleet from its clusters', kind: 'action', run: () => void refresh() });
    out.push({ id: 'action:report', label: 'Show the drift report', kind: 'action', run: () => navigate('reports') });
    const clusters = overview?.repo.fleet?.clusters ?? [];
    for (const c of sortByEnvironment(clusters, (x) => x.environment, overview?.environments ?? [])) out.push({ id: `cluster:${c.name}`, label: `Open cluster ${c.name}${c.environment && c.environment !== c.name ? ` · environment ${c.environment}` : ''}`, kind: 'cluster', run: () => go({ page: 'clusters', cluster: c.name }) });
    // On an app's page: the same app on each other cluster it runs on, one keystroke away (its tab kept).
    if (appRef) {
      const key = gridRowKey(appRef.app, appRef.cluster);
      const switches: Command[] = [];
      for (const a of overview?.apps ?? []) {
        const cluster = a.cluster;
        if (!cluster || cluster === appRef.cluster || gridRowKey(a.name, cluster) !== key) continue;
        switches.push({ id: `switch:${a.name}:${cluster}`, label: `Switch ${key} to cluster ${cluster}`, kind: 'cluster', run: () => openApp(a.name, cluster, appRef.tab) });
      }
      out.unshift(...switches);
    }
    for (const s of overview?.appsets ?? []) {
      if (s.parent === undefined) out.push({ id: `appset:${s.file}:${s.name}`, label: `${s.name} — ${s.file}`, kind: 'appset', run: () => go({ page: 'applicationsets', file: s.file }) });
    }
    for (const a of overview?.apps ?? []) {
      const cluster = a.cluster;
      if (cluster) out.push({ id: `app:${a.name}`, label: `${a.name} on ${cluster}`, kind: 'app', run: () => openApp(a.name, cluster) });
    }
    return out;
  }, [open, overview, navigate, openApp, go, refresh, appRef]);

  const matches = useMemo(() => {
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    return commands.filter((c) => words.every((w) => `${c.kind} ${c.label}`.toLowerCase().includes(w))).slice(0, 50);
  }, [commands, q]);

  const run = (c: Command | undefined): void => {
    if (!c) return;
    setOpen(false);
    c.run();
  };
  useEffect(() => {
    if (!pending || reading) return;
    setPending(false);
    run(matches[active]);
    // Runs once, when the overview arrives after an Enter; `run` and the matches are read as they are then.
  }, [pending, reading]);

  if (!open) return null;
  return (
    <div className="palette-backdrop" onClick={() => setOpen(false)}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[active] ? `palette-${active}` : undefined}
          aria-label="Find an app, cluster, ApplicationSet or action"
          placeholder="Find an app, cluster, ApplicationSet or action…"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              setActive((i) => Math.min(matches.length - 1, i + 1));
            } else if (e.key === 'ArrowUp') {
              e.preventDefault();
              setActive((i) => Math.max(0, i - 1));
            } else if (e.key === 'Enter') {
              if (reading) setPending(true);
              else run(matches[active]);
            }
          }}
        />
        <ul id="palette-list" role="listbox" aria-label="Matches">
          {matches.map((c, i) => (
            <li key={c.id} id={`palette-${i}`} role="option" aria-selected={i === active} onMouseEnter={() => setActive(i)} onClick={() => run(c)}>
              <span className={`kind kind-${c.kind}`}>{c.kind}</span> {c.label}
            </li>
          ))}
          {matches.length === 0 && !reading && <li className="muted">No match</li>}
        </ul>
        {reading && (
          <p className="muted" role="status">
            Reading the repository for its apps, clusters and ApplicationSets{pending ? ': the first match opens once it is read' : '…'}
          </p>
        )}
      </div>
    </div>
  );
}
