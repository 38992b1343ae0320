import * as fs from 'fs';
import * as path from 'path';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { HelmChartSettings } from '../config/settings';
import { ChartRelease } from './chart-release';

/** An `argoproj.io/v1alpha1` Application as read from git. */
export interface ApplicationManifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  readonly spec: Record<string, unknown> & { project: string; source?: { repoURL: string; targetRevision?: string; path?: string } };
}

/** Spec fields the argocd-apps 2.0.5 template renders (templates/applications.yaml); anything else would be dropped. */
const CHART_SPEC_FIELDS = ['project', 'source', 'sources', 'destination', 'syncPolicy', 'revisionHistoryLimit', 'ignoreDifferences', 'info', 'sourceHydrator'] as const;
const CHART_METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations', 'finalizers'] as const;

/** The repository root (the folder holding package.json), from `stacks/`/`modules/` or their `dist/` copies. */
export function repositoryRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** Reads and checks `gitops/argocd/<env>/root-app.yaml`: one Application, only fields the chart renders. */
export function readRootApplication(file: string): ApplicationManifest {
  const manifest = parse(fs.readFileSync(file, 'utf8')) as ApplicationManifest;
  const where = path.relative(repositoryRoot(), file);
  if (manifest?.apiVersion !== 'argoproj.io/v1alpha1' || manifest.kind !== 'Application') throw new Error(`${where}: expected one argoproj.io/v1alpha1 Application`);
  const extraMetadata = Object.keys(manifest.metadata ?? {}).filter((k) => !(CHART_METADATA_FIELDS as readonly string[]).includes(k));
  const extraSpec = Object.keys(manifest.spec ?? {}).filter((k) => !(CHART_SPEC_FIELDS as readonly string[]).includes(k));
  if (extraMetadata.length + extraSpec.length > 0) {
    throw new Error(`${where}: the argocd-apps chart would drop ${[...extraMetadata.map((k) => `metadata.${k}`), ...extraSpec.map((k) => `spec.${k}`)].join(', ')}`);
  }
  if (!manifest.spec.destination) throw new Error(`${where}: spec.destination is required`);
  return manifest;
}

/** The argocd-apps chart's values that render exactly `app`. */
export function argocdAppsValues(app: ApplicationManifest): object {
  const { name, namespace, labels, annotations, finalizers } = app.metadata;
  const spec = Object.fromEntries(CHART_SPEC_FIELDS.filter((k) => app.spec[k] !== undefined).map((k) => [k, app.spec[k]]));
  return {
    applications: {
      [name]: {
        ...(namespace !== undefined ? { namespace } : {}),
        ...(labels !== undefined ? { additionalLabels: labels } : {}),
        ...(annotations !== undefined ? { additionalAnnotations: annotations } : {}),
        ...(finalizers !== undefined ? { finalizers } : {}),
        ...spec,
      },
    },
  };
}

export interface RootApplicationProps {
  readonly helm: HelmProvider;
  readonly chart: HelmChartSettings;
  /** The Application of `gitops/argocd/<env>/root-app.yaml` (`readRootApplication`), the one definition. */
  readonly application: ApplicationManifest;
  /** Argo CD and everything its children need (CRDs, controllers, bridge, credentials). */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * The environment's root app-of-apps, delivered through the argocd-apps chart: a Helm release can create a
 * custom resource whose CRD the argo-cd release installs in the same apply (a `kubernetes_manifest` would
 * need the CRD at plan time, hashicorp/terraform-provider-kubernetes#1367). The values are read from
 * `root-app.yaml` at synth, so git holds the only copy.
 */
export class RootApplication extends Construct {
  public readonly application: ApplicationManifest;
  public readonly release: ChartRelease;

  constructor(scope: Construct, id: string, props: RootApplicationProps) {
    super(scope, id);
    this.application = props.application;
    this.release = new ChartRelease(this, 'chart', {
      provider: props.helm,
      chart: props.chart,
      name: 'tiketi-root',
      namespace: this.application.metadata.namespace ?? 'argocd',
      values: argocdAppsValues(this.application),
      timeoutSeconds: 300,
      dependsOn: props.dependsOn,
    });
  }
}
