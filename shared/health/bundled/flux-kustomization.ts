import { check, fluxHealth } from './helpers';

/** kustomize.toolkit.fluxcd.io/Kustomization: Flux's Ready/Reconciling rule. */
export const fluxKustomizationHealth = check('kustomize.toolkit.fluxcd.io', 'Kustomization', (obj) => fluxHealth(obj, 1));
