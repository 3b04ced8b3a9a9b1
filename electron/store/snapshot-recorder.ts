// Recording one refresh into the store, inside the caller's immediate transaction.
//
// Per app × cluster, the fingerprint of what it was given is compared with its latest observation's (all read in
// one query): equal, and only the snapshot's `seen` entry is written. Otherwise its manifests (masked) are stored
// content-addressed, its statuses as a content-addressed resource set, and a new observation plus drift and health
// events.

import type { HistoryEventDetails, HistoryEventKind } from '../../shared/report/model';
import type { Problem } from '../../shared/problem';
import { problem } from '../../shared/problem';
import { canonicalJson, sha256 } from './canonical-json';
import { FINGERPRINT_VERSION, fingerprintOf, olderRecordFingerprint, recordFingerprint } from './fingerprint';
import { invalidRecord, keyOf, prepareResources, scrubText, secretValuesOf } from './record-input';
import type { AppClusterRow, SnapshotRow, Statements, StoredResource } from './rows';
import { iso } from './rows';
import { storedEntry } from './stored-entry';
import type { AppClusterRecord, RecordOptions, RecordResult } from './types';
import type { KubeObject } from '../../shared/model/status';

/** Writes snapshots; one per store connection, its statements prepared once. */
export class SnapshotRecorder {
  constructor(
    private readonly s: Statements,
    private readonly file: string,
  ) {}

  /** Records one snapshot; the caller holds the write transaction. */
  record(records: readonly AppClusterRecord[], takenAt: number, partial: boolean, options: RecordOptions): RecordResult {
    const s = this.s;
    const previous = s.latestSnapshot.get() as SnapshotRow | undefined;
    const problems: Problem[] = [];
    const skipped = new Set<number>();
    const snapshotId = Number(s.insertSnapshot.run(takenAt).lastInsertRowid);
    const acs = new Map<string, AppClusterRow>();
    for (const r of s.appClustersWithLatest.all() as AppClusterRow[]) acs.set(`${r.app}\u0000${r.cluster}`, r);
    const seen: [number, number][] = [];
    const unreachable: [number, string][] = [];
    const previousSeen = new Map<number, number>(previous ? (JSON.parse(previous.seen) as [number, number][]) : []);
    let kept = 0;
    let changed = 0;
    let events = 0;
    records.forEach((record, index) => {
      const st = record.status;
      const env = record.environment ?? null;
      const invalid = invalidRecord(record);
      if (invalid !== undefined) {
        // One malformed status never stops the others: it is reported, and the app × cluster keeps its last state.
        problems.push(problem(`not recorded: ${invalid}`, { app: String(st?.app), cluster: String(st?.cluster), file: this.file }));
        const known = acs.get(`${st?.app}\u0000${st?.cluster}`);
        if (known) skipped.add(known.id);
        options.onProgress?.(index + 1, records.length);
        return;
      }
      let ac = acs.get(`${st.app}\u0000${st.cluster}`);
      if (!ac) {
        const id = Number(s.insertAppCluster.run(st.app, st.cluster, env).lastInsertRowid);
        ac = { id, app: st.app, cluster: st.cluster, environment: env, latest_observation: null, fingerprint: null, fingerprint_version: null, sync: null, health: null, drift_since: null, observed_at: null };
      } else if (ac.environment !== env) {
        s.updateEnvironment.run(env, ac.id);
      }
      if (record.unreachable !== undefined) {
        unreachable.push([ac.id, String(record.unreachable)]);
        if (ac.latest_observation !== null && ac.observed_at !== null) {
          // Could not look: what was last seen stays in effect, with the time it was last read (never replaced by "Unknown").
          const lastRead = previousSeen.has(ac.id) ? previous!.taken_at + previousSeen.get(ac.id)! : ac.observed_at;
          seen.push([ac.id, lastRead - takenAt]);
          kept++;
          options.onProgress?.(index + 1, records.length);
          return;
        }
      }
      let observedAt = st.observedAt ? Date.parse(st.observedAt) : takenAt;
      if (!Number.isFinite(observedAt)) {
        problems.push({ ...problem(`observedAt "${st.observedAt}" is not an ISO 8601 time; recorded at the snapshot's time`, { app: st.app, cluster: st.cluster, file: this.file }), severity: 'warning' });
        observedAt = takenAt;
      }
      seen.push([ac.id, observedAt - takenAt]);
      // An app × cluster with a state is checked by fingerprint first; one without is written (fingerprinted as it is).
      if (ac.latest_observation !== null && ac.fingerprint !== null && this.unchanged(ac, record)) {
        options.onProgress?.(index + 1, records.length);
        return;
      }
      changed++;
      events += this.writeObservation(ac, record, snapshotId, observedAt);
      options.onProgress?.(index + 1, records.length);
    });
    if (previous && (partial || skipped.size > 0)) {
      // What a partial refresh did not read, or could not record, stays as the previous snapshot saw it, with its time.
      const written = new Set(seen.map(([id]) => id));
      for (const [id, offset] of JSON.parse(previous.seen) as [number, number][]) {
        if (!written.has(id) && (partial || skipped.has(id))) seen.push([id, previous.taken_at + offset - takenAt]);
      }
    }
    s.updateSeen.run(JSON.stringify(seen), JSON.stringify(unreachable), snapshotId);
    const recorded = records.length - problems.filter((p) => p.severity === 'error').length;
    return { snapshot: { id: snapshotId, takenAt: iso(takenAt) }, changed, unchanged: recorded - changed - kept, unreachable: unreachable.length, events, problems };
  }

  /**
   * Whether a record is what the app × cluster's latest observation holds, by fingerprint. An observation that carries
   * an older version's fingerprint is compared by that one; found unchanged, it is given the current version's.
   */
  private unchanged(ac: AppClusterRow, record: AppClusterRecord): boolean {
    if (ac.fingerprint_version === FINGERPRINT_VERSION) return recordFingerprint(record) === ac.fingerprint;
    // A version this build does not know (a newer build's) is never equal: the record is written again.
    const older = ac.fingerprint_version !== null ? olderRecordFingerprint(record, ac.fingerprint_version) : undefined;
    if (older === undefined || older !== ac.fingerprint) return false;
    this.s.updateFingerprint.run(Buffer.from(recordFingerprint(record), 'hex'), FINGERPRINT_VERSION, ac.latest_observation);
    return true;
  }

  /** Writes one changed app × cluster state: manifests, resource set, observation and events; returns events written. */
  private writeObservation(ac: AppClusterRow, record: AppClusterRecord, snapshotId: number, observedAt: number): number {
    const st = record.status;
    const prepared = prepareResources(record);
    const observedIso = iso(observedAt);
    const anyDrift = prepared.some((p) => p.status.sync === 'OutOfSync');
    const previousSince = anyDrift ? this.previousDriftSince(ac.id) : new Map<string, string>();
    const entries: StoredResource[] = [];
    const manifestIds = new Set<number>();
    const firstTime = ac.latest_observation === null;
    let drifted = 0;
    for (const p of prepared) {
      const desiredId = p.desired ? this.putManifest(p.desired, firstTime) : undefined;
      const liveId = p.live ? this.putManifest(p.live, firstTime) : undefined;
      if (desiredId !== undefined) manifestIds.add(desiredId);
      if (liveId !== undefined) manifestIds.add(liveId);
      const isDrifted = p.status.sync === 'OutOfSync';
      if (isDrifted) drifted++;
      entries.push(storedEntry(p.status, { ...(isDrifted ? { driftSince: previousSince.get(p.key) ?? observedIso } : {}), ...(desiredId !== undefined ? { desiredId } : {}), ...(liveId !== undefined ? { liveId } : {}) }));
    }
    const fingerprint = fingerprintOf(record, prepared);
    // Entries are built in a fixed key order, so their JSON is canonical without sorting.
    const setId = this.putSet(JSON.stringify(entries), manifestIds);

    let driftSince: number | null;
    if (st.sync === 'OutOfSync') driftSince = ac.drift_since ?? observedAt;
    else if (st.sync === 'Synced') driftSince = null;
    else driftSince = ac.drift_since;
    const secrets = (): string[] => secretValuesOf(prepared, record);
    const error = st.error !== undefined ? scrubText(st.error, secrets()) : null;
    // The controller's messages are its own text, scrubbed of the app's Secret values like every error.
    const controller = st.controller ? scrubText(JSON.stringify(st.controller), secrets()) : null;
    const obsId = Number(
      this.s.insertObservation.run(ac.id, snapshotId, observedAt, st.revision, st.sync, st.health.status, st.health.message, error, driftSince, prepared.length, drifted, setId, fingerprint, st.version ?? null, st.runningVersion ?? null, controller, FINGERPRINT_VERSION).lastInsertRowid,
    );
    this.s.updateLatest.run(obsId, ac.id);

    let events = 0;
    if (st.sync === 'OutOfSync' && ac.drift_since === null) {
      this.addEvent('drift-began', observedAt, st.app, st.cluster, snapshotId, { revision: st.revision, driftedResources: drifted });
      events++;
    } else if (st.sync === 'Synced' && ac.drift_since !== null) {
      this.addEvent('drift-ended', observedAt, st.app, st.cluster, snapshotId, { revision: st.revision, beganAt: iso(ac.drift_since), durationMs: observedAt - ac.drift_since });
      events++;
    }
    if (ac.health !== null && ac.health !== st.health.status) {
      this.addEvent('health-changed', observedAt, st.app, st.cluster, snapshotId, { from: ac.health, to: st.health.status, message: st.health.message });
      events++;
    }
    return events;
  }

  /** When each resource's drift began, from the app × cluster's last state read without error. */
  private previousDriftSince(appClusterId: number): Map<string, string> {
    const out = new Map<string, string>();
    const row = this.s.lastGoodSet.get(appClusterId) as { resource_set: number } | undefined;
    if (!row) return out;
    const set = this.s.getSet.get(row.resource_set) as { body: string } | undefined;
    for (const r of set ? (JSON.parse(set.body) as StoredResource[]) : []) if (r.sync === 'OutOfSync' && r.driftSince) out.set(keyOf(r), r.driftSince);
    return out;
  }

  /**
   * Stores a (masked) manifest under the sha256 of its canonical JSON, once; returns its id. `likelyNew` (an app ×
   * cluster seen for the first time) tries the insert first, otherwise the lookup.
   */
  private putManifest(obj: KubeObject, likelyNew: boolean): number {
    const body = canonicalJson(obj);
    const hash = sha256(body);
    if (likelyNew) {
      const r = this.s.insertManifestIfNew.run(hash, body);
      if (r.changes > 0) return Number(r.lastInsertRowid);
    }
    const found = this.s.findManifest.get(hash) as { id: number } | undefined;
    return found ? found.id : Number(this.s.insertManifest.run(hash, body).lastInsertRowid);
  }

  /** Stores a resource set under the sha256 of its JSON, once, with the manifests it names; returns its id. */
  private putSet(body: string, manifestIds: ReadonlySet<number>): number {
    const hash = sha256(body);
    const found = this.s.findSet.get(hash) as { id: number } | undefined;
    if (found) return found.id;
    const id = Number(this.s.insertSet.run(hash, body).lastInsertRowid);
    for (const m of manifestIds) this.s.insertSetManifest.run(id, m);
    return id;
  }

  private addEvent<K extends HistoryEventKind>(kind: K, at: number, app: string, cluster: string, snapshotId: number, detail: HistoryEventDetails[K]): void {
    this.s.insertEvent.run(at, kind, app, cluster, snapshotId, JSON.stringify(detail));
  }
}
