import type { TestProject } from 'vitest/node';
import type { LocalFleetState } from '../../electron/services/cluster/local-fleet';
import { ensureKubeTestbin, startLocalFleet } from '../../electron/services/cluster/local-fleet';

// Global setup: when the run includes a `*.kube.test.ts` file, make sure kube-apiserver and etcd are built
// (once per machine, into ~/.cache/flotilla/kube-testbin), start one fleet of three clusters for the whole run,
// hand its state to the tests (`inject('kubeFleet')`), and stop it at the end. A detached watchdog stops the
// fleet too if this process dies without tearing down.

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared test fleet, or null when no test of the run needs it. */
    kubeFleet: LocalFleetState | null;
  }
}

/** Whether any test file selected for this run is a `*.kube.test.ts` file. */
async function runNeedsFleet(project: TestProject): Promise<boolean> {
  try {
    const v = project.vitest as unknown as { filenamePattern?: string[]; globTestSpecifications(f?: string[]): Promise<{ moduleId: string }[]> };
    const specs = await v.globTestSpecifications(v.filenamePattern ?? []);
    return specs.some((s) => s.moduleId.endsWith('.kube.test.ts'));
  } catch {
    return true; // when the selection cannot be read, start the fleet rather than fail its tests
  }
}

/** Starts the shared fleet when needed; returns its teardown. */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!(await runNeedsFleet(project))) {
    project.provide('kubeFleet', null);
    return undefined;
  }
  const log = (line: string): void => console.log(line);
  const binDir = await ensureKubeTestbin(log);
  const fleet = await startLocalFleet({ binDir, log });
  project.provide('kubeFleet', fleet.state);
  return async () => {
    await fleet.stop();
  };
}
