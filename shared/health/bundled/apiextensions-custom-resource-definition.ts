import { arr, conditions, get, health } from '../fields';
import { check } from './helpers';

/** apiextensions.k8s.io/CustomResourceDefinition: terminating, names not accepted, not established, non-structural schema. */
export const customResourceDefinitionHealth = {
  ...check('apiextensions.k8s.io', 'CustomResourceDefinition', (obj) => {
    const ts = get(obj, 'metadata', 'deletionTimestamp');
    if (ts !== undefined && ts !== null) return health('Progressing', 'CRD is terminating');
    if (arr(obj, 'status', 'conditions').length === 0) return health('Progressing', 'Status conditions not found');
    const list = conditions(obj);
    const terminating = list.find((c) => c.type === 'Terminating' && c.status === 'True');
    const namesNotAccepted = list.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
    const established = list.find((c) => c.type === 'Established' && c.status === 'True');
    const installing = list.find((c) => c.type === 'Established' && c.status === 'False' && c.reason === 'Installing');
    const violations = list.find((c) => c.type === 'NonStructuralSchema' && c.status === 'True');
    if (terminating) return health('Progressing', `CRD is terminating: ${terminating.message}`);
    if (namesNotAccepted) return health('Degraded', `CRD names have not been accepted: ${namesNotAccepted.message}`);
    if (installing) return health('Progressing', 'CRD is being installed');
    if (!established) return health('Degraded', 'CRD is not established');
    if (violations) return health('Degraded', `Schema violations found: ${violations.message}`);
    return health('Healthy', 'CRD is healthy');
  }),
  handlesDeletion: true,
};
