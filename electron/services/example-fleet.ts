import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The bundled example fleet's source folder: beside the packaged app's resources, or in the checkout. */
export function exampleFleetSource(): string {
  const candidates = [
    // Electron's packaged app keeps extra resources under process.resourcesPath.
    ...(typeof (process as { resourcesPath?: string }).resourcesPath === 'string' ? [path.join((process as { resourcesPath?: string }).resourcesPath!, 'examples', 'fleet')] : []),
    path.resolve(__dirname, '..', 'examples', 'fleet'),
    path.resolve(__dirname, '..', '..', 'examples', 'fleet'),
    path.resolve(__dirname, '..', '..', '..', 'examples', 'fleet'),
  ];
  const found = candidates.find((c) => existsSync(path.join(c, 'flotilla.yaml')));
  if (!found) throw new Error(`the bundled example fleet is missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** Copies the example fleet into `<dataDir>/example-fleet` as a real git repository (one initial commit), once; returns its path. */
export function installExampleFleet(dataDir: string): string {
  const target = path.join(dataDir, 'example-fleet');
  if (existsSync(path.join(target, '.git'))) return target;
  mkdirSync(target, { recursive: true });
  cpSync(exampleFleetSource(), target, { recursive: true });
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: target, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=Flotilla', '-c', 'user.email=flotilla@localhost', 'commit', '-q', '-m', 'Initial commit of the Flotilla example fleet');
  return target;
}
