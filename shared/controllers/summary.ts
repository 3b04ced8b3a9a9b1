import type { SyncStatus } from '../model/status';
import type { ControllerAgreement, ControllerStatus } from './types';

// The controller's word beside Flotilla's, in one sentence: "Argo CD says Synced, Healthy at abc1234; Flotilla sees 2
// objects differing". Used by the grid's tooltip, the app page and `flotilla status`.

/** What Flotilla itself found for the app × cluster (from its own comparison). */
export interface FlotillaVerdict {
  readonly sync: SyncStatus;
  /** How many resources Flotilla sees out of sync (missing and extra included). */
  readonly drifted: number;
  /** Why Flotilla could not compare. */
  readonly error?: string;
  /** The commit Flotilla rendered. */
  readonly revision?: string;
}

const SHA = /\b[0-9a-f]{40}\b/g;

/** A revision shortened for people: 40-hex shas to 7 (`main@sha1:0123abc…` → `main@sha1:0123abc`). */
export function shortRevision(revision: string): string {
  return revision.replace(SHA, (sha) => sha.slice(0, 7));
}

/** The commit sha a controller revision names (Argo CD's sha, Flux's `<ref>@sha1:<sha>`), if it names one. */
export function revisionSha(revision: string | undefined): string | undefined {
  return revision?.match(/[0-9a-f]{40}/)?.[0];
}

/** Whether the controller reports the app in sync with what it last fetched (Argo CD Synced, Flux Ready at the attempted revision). */
export function controllerInSync(c: ControllerStatus): boolean | undefined {
  if (c.controller === 'Argo CD') return c.sync === 'Synced' ? true : c.sync === 'OutOfSync' ? false : undefined;
  if (c.suspended || !c.ready || c.ready.status === 'Unknown') return undefined;
  if (c.ready.status === 'False') return false;
  return !attemptedOther(c);
}

/** Whether a Flux object last attempted another revision than the one it applied (a HelmRelease attempts a chart version). */
function attemptedOther(c: ControllerStatus): boolean {
  if (c.lastAttemptedRevision === undefined || c.revision === undefined) return false;
  return c.lastAttemptedRevision !== c.revision && !(c.kind === 'HelmRelease' && c.revision.endsWith(`@${c.lastAttemptedRevision}`));
}

/** The controller's verdict in one word or two, for a table cell: `Argo CD: OutOfSync`, `Flux: Ready`. */
export function controllerWord(c: ControllerStatus): string {
  if (c.controller === 'Argo CD') return `Argo CD: ${c.sync ?? 'Unknown'}`;
  if (c.suspended) return 'Flux: suspended';
  return `Flux: ${!c.ready ? 'not reported' : c.ready.status === 'True' ? 'Ready' : c.ready.status === 'False' ? 'not Ready' : 'reconciling'}`;
}

/** The controller's own status as a phrase: `Argo CD says OutOfSync, Degraded at abc1234; last sync Failed: …`. */
export function controllerSays(c: ControllerStatus): string {
  const at = c.revision ? ` at ${shortRevision(c.revision)}` : '';
  if (c.controller === 'Argo CD') {
    const health = c.health && c.health !== 'Unknown' ? `, ${c.health}` : '';
    const op = c.operation && c.operation.phase !== 'Succeeded' ? `; last sync ${c.operation.phase}${c.operation.message ? `: ${c.operation.message}` : ''}` : '';
    return `Argo CD says ${c.sync ?? 'Unknown'}${health}${at}${op}`;
  }
  if (c.suspended) return `Flux says ${c.kind} ${c.namespace}/${c.name} is suspended${at}`;
  if (!c.ready) return `Flux has not reported on ${c.kind} ${c.namespace}/${c.name} yet`;
  const reason = c.ready.reason ? ` (${c.ready.reason}${c.ready.status === 'True' || !c.ready.message ? '' : `: ${c.ready.message}`})` : c.ready.message && c.ready.status !== 'True' ? ` (${c.ready.message})` : '';
  const word = c.ready.status === 'True' ? 'Ready' : c.ready.status === 'False' ? 'not Ready' : 'reconciling';
  const attempted = c.lastAttemptedRevision && (c.revision === undefined || attemptedOther(c)) ? `; last attempted ${shortRevision(c.lastAttemptedRevision)}` : '';
  return `Flux says ${word}${reason}${at}${attempted}`;
}

/** Flotilla's own verdict as a phrase: `Flotilla sees 2 objects differing`. */
export function flotillaSees(v: FlotillaVerdict): string {
  if (v.sync === 'Unknown') return `Flotilla could not compare${v.error ? ` (${v.error})` : ''}`;
  if (v.sync === 'Synced') return 'Flotilla sees it in sync';
  return `Flotilla sees ${v.drifted} object${v.drifted === 1 ? '' : 's'} differing`;
}

/** Whether the controller and Flotilla agree on whether the app is in sync. */
export function agreement(c: ControllerStatus, v: FlotillaVerdict): ControllerAgreement {
  const theirs = controllerInSync(c);
  if (theirs === undefined || v.sync === 'Unknown') return 'unknown';
  return theirs === (v.sync === 'Synced') ? 'agree' : 'disagree';
}

/** Both verdicts in one sentence, noting a revision that differs from the one Flotilla rendered. */
export function verdictsBeside(c: ControllerStatus, v: FlotillaVerdict): string {
  const theirs = revisionSha(c.controller === 'Argo CD' ? c.revision : c.kind === 'Kustomization' ? c.revision : undefined);
  const ours = revisionSha(v.revision);
  const rev = theirs && ours && theirs !== ours ? ` at ${ours.slice(0, 7)}` : '';
  return `${controllerSays(c)}; ${flotillaSees(v)}${rev}`;
}
