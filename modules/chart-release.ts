import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Document, Scalar, visit } from 'yaml';
import { HelmChartSettings } from '../config/settings';

export interface ChartReleaseProps {
  readonly provider: HelmProvider;
  readonly chart: HelmChartSettings;
  /** Release name. */
  readonly name: string;
  /** Namespace the release installs into; it must already exist (Terraform owns every namespace). */
  readonly namespace: string;
  /** The chart's values as a typed object; encoded once, as YAML, into `values`. */
  readonly values: object;
  /**
   * Seconds Helm waits for the release's resources to become ready before it rolls back.
   * @default 600
   */
  readonly timeoutSeconds?: number;
  /** What must exist before the release installs. @default - nothing */
  readonly dependsOn?: ITerraformDependable[];
}

/** Helm releases kept for `helm rollback`; older release Secrets are pruned. */
export const MAX_HISTORY = 10;

/**
 * Encodes chart values as YAML for `helm_release.values`. One-line strings are double-quoted (a Terraform
 * reference inside one, an endpoint or an ARN, then stays a string whatever it resolves to), multi-line
 * strings (Lua, embedded config) are block literals, and shared objects are written out, not aliased. The
 * only `${` allowed is a reference; a literal `${` or `%{` would be read by Terraform as a template.
 */
export function encodeValues(values: object): string {
  const doc = new Document(values, { aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key !== 'key' && typeof node.value === 'string') node.type = node.value.includes('\n') ? 'BLOCK_LITERAL' : 'QUOTE_DOUBLE';
    },
  });
  const text = doc.toString({ lineWidth: 0 });
  const literal = /\$\{(?!TfToken\[)|%\{/.exec(text);
  if (literal) throw new Error(`chart values contain a literal "${literal[0]}" that Terraform would read as a template: ${text.slice(Math.max(0, literal.index - 40), literal.index + 40)}`);
  return text;
}

/**
 * One pinned Helm chart installed the safe way: `atomic` (a failed install or upgrade rolls back and, with
 * `cleanup_on_fail`, removes what it created), waits for readiness (and hook Jobs), keeps `MAX_HISTORY`
 * revisions, never creates its namespace, and never takes values from anything but `values`.
 */
export class ChartRelease extends Construct {
  public readonly release: Release;

  constructor(scope: Construct, id: string, props: ChartReleaseProps) {
    super(scope, id);
    this.release = new Release(this, 'release', {
      provider: props.provider,
      name: props.name,
      namespace: props.namespace,
      repository: props.chart.repository,
      chart: props.chart.chart,
      version: props.chart.version,
      values: [encodeValues(props.values)],
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      waitForJobs: true,
      maxHistory: MAX_HISTORY,
      timeout: props.timeoutSeconds ?? 600,
      createNamespace: false,
      // Values come only from `values`: an upgrade never merges in what a person set by hand.
      resetValues: true,
      dependsOn: props.dependsOn,
    });
  }
}
