/** Argo CD's Application, as ApplicationSets generate it (argoproj.io/v1alpha1); only the fields Flotilla reads are typed. */
export interface Application {
  readonly apiVersion: 'argoproj.io/v1alpha1';
  readonly kind: 'Application';
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly finalizers?: readonly string[];
  };
  readonly spec: ApplicationSpec;
}

/** The spec of an Application. */
export interface ApplicationSpec {
  readonly project: string;
  readonly source?: ApplicationSource;
  readonly sources?: readonly ApplicationSource[];
  readonly destination: { readonly server?: string; readonly name?: string; readonly namespace?: string };
  readonly syncPolicy?: Readonly<Record<string, unknown>>;
  readonly ignoreDifferences?: readonly Readonly<Record<string, unknown>>[];
  readonly [extra: string]: unknown;
}

/** Where an Application's manifests come from. */
export interface ApplicationSource {
  readonly repoURL: string;
  readonly path?: string;
  readonly targetRevision?: string;
  readonly chart?: string;
  readonly [extra: string]: unknown;
}
