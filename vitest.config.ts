import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// One runner for unit, integration, conformance and browser tests (see README "Tests").
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    pool: 'forks',
    // Tests never touch the user's own data folder.
    env: { FLOTILLA_DATA_DIR: path.join(os.tmpdir(), `flotilla-test-data-${process.pid}`) },
    // Starts the real test clusters (etcd + kube-apiserver) when a *.kube.test.ts file is in the run.
    globalSetup: ['test/setup/kube-fleet.ts'],
    testTimeout: 60_000,
    // Browser tests poll the page; on a loaded two-core machine a UI update can take seconds.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 180_000,
    reporters: ['default'],
  },
});
