import { UnknownInstanceTypeError, checkPodCapacity } from '../capacity';
import { parseCidr } from '../cidr';
import { CI_ROLE_NAMES, EKS_ADDON_NAMES, EnvironmentSettings, interfaceEndpointServices } from '../settings';
import { parseRolePrincipal } from './iam';
import { LOG_RETENTION_DAYS, Problems } from './problems';
import { EC2_INSTANCE_TYPE, EKS_ADDON_VERSION as EKS_ADDON_VERSION_RULE, IPV4_CIDR } from './rules';

/**
 * Kubernetes minor versions in EKS *standard* support (extended support bills the control plane at 6×).
 * 1.35: standard support until March 2027. Review when EKS publishes a new version.
 */
export const STANDARD_SUPPORT_VERSIONS = ['1.35'] as const;

/** EKS add-on versions (`EKS_ADDON_VERSION` of rules.ts), as a pattern for the modules that test one. */
export const EKS_ADDON_VERSION = { test: (version: string): boolean => EKS_ADDON_VERSION_RULE.problem(version) === undefined };

/**
 * The CI infra roles: the cluster stack adds the entries of its own environment's apply role and of the plan
 * role itself (docs/platform-contracts.md), and no setting may name them, or another environment's apply role.
 */
const isCiInfraRole = (name: string): boolean => name === CI_ROLE_NAMES.infraPlan || name.startsWith(CI_ROLE_NAMES.infraApplyPrefix);


export function validateCluster(env: EnvironmentSettings, problems: Problems): void {
  const cluster = env.cluster;
  const at = `${env.name}.cluster`;

  const versionOk = problems.oneOf(`${at}.kubernetesVersion`, cluster.kubernetesVersion, STANDARD_SUPPORT_VERSIONS);

  cluster.publicAccessCidrs.forEach((text, i) => {
    const field = `${at}.publicAccessCidrs[${i}]`;
    if (!problems.rule(field, text, IPV4_CIDR)) return;
    const cidr = parseCidr(text);
    if (env.name !== 'dev') {
      problems.check(cidr!.prefix >= 8, field, text, 'specific CIDRs (a /8 or narrower; never "0.0.0.0/0" outside dev)');
    }
  });

  validateAccessRoles(env, problems);
  validateAddonVersions(env, versionOk, problems);

  problems.oneOf(`${at}.logRetentionDays`, cluster.logRetentionDays, LOG_RETENTION_DAYS);

  const group = cluster.nodeGroup;
  const ng = `${at}.nodeGroup`;
  problems.check(group.instanceTypes.length > 0, `${ng}.instanceTypes`, group.instanceTypes, 'at least one instance type');
  const typesOk = group.instanceTypes.map((type, i) => problems.rule(`${ng}.instanceTypes[${i}]`, type, EC2_INSTANCE_TYPE)).every(Boolean);
  const sizesOk = [
    problems.checkInteger(`${ng}.minSize`, group.minSize, 1, 100),
    problems.checkInteger(`${ng}.desiredSize`, group.desiredSize, 1, 100),
    problems.checkInteger(`${ng}.maxSize`, group.maxSize, 1, 100),
  ].every(Boolean);
  if (sizesOk) {
    // Each bound is blamed for what it breaks itself: min above max is minSize's problem (desiredSize cannot
    // be right then), desiredSize is checked against a consistent range only.
    if (problems.check(group.minSize <= group.maxSize, `${ng}.minSize`, group.minSize, `at most ${ng}.maxSize (${group.maxSize})`)) {
      problems.check(group.desiredSize >= group.minSize, `${ng}.desiredSize`, group.desiredSize, `at least ${ng}.minSize (${group.minSize})`);
      problems.check(group.desiredSize <= group.maxSize, `${ng}.desiredSize`, group.desiredSize, `at most ${ng}.maxSize (${group.maxSize})`);
    }
    // One node per AZ at least, so losing an AZ never removes every node (checked against valid zones only).
    const azs = env.network.availabilityZones.length;
    if (!problems.reported(`${env.name}.network.availabilityZones`)) {
      problems.check(group.minSize >= azs || env.name === 'dev', `${ng}.minSize`, group.minSize, `at least one node per availability zone (${azs}) outside dev`);
    }
  }
  problems.checkInteger(`${ng}.diskSizeGb`, group.diskSizeGb, 20, 1000);

  if (sizesOk && typesOk && group.instanceTypes.length > 0) validateCapacity(env, problems);
}

/**
 * Access entry principals: role names or role ARNs by IAM's rules, one entry per role (an ARN and a name
 * of the same role count once), none of the CI roles the stack grants itself, at least one admin.
 */
function validateAccessRoles(env: EnvironmentSettings, problems: Problems): void {
  const at = `${env.name}.cluster`;
  const seen = new Map<string, string>();
  for (const field of ['adminRoles', 'readOnlyRoles'] as const) {
    env.cluster[field].forEach((text, i) => {
      const where = `${at}.${field}[${i}]`;
      const parsed = parseRolePrincipal(text);
      if (!parsed.ok) return problems.add(where, text, parsed.allowed);
      const { name } = parsed.principal;
      if (isCiInfraRole(name)) {
        return problems.add(where, text, `a role other than ${CI_ROLE_NAMES.infraApplyPrefix}<env> and ${CI_ROLE_NAMES.infraPlan} (the cluster stack grants its own environment's apply role and the plan role their access itself; another environment's apply role gets none)`);
      }
      const earlier = seen.get(name);
      if (earlier !== undefined) return problems.add(where, text, `a role not already named in ${earlier} (one access entry per principal)`);
      seen.set(name, where);
    });
  }
  problems.check(env.cluster.adminRoles.length > 0, `${at}.adminRoles`, env.cluster.adminRoles, 'at least one role (the cluster has no implicit creator admin)');
}

/** Every add-on pinned, in EKS's version format; kube-proxy follows the Kubernetes minor by definition. */
function validateAddonVersions(env: EnvironmentSettings, kubernetesVersionOk: boolean, problems: Problems): void {
  const at = `${env.name}.cluster.addonVersions`;
  const versions: Readonly<Record<string, string>> = env.cluster.addonVersions;
  for (const name of EKS_ADDON_NAMES) {
    const version = versions[name];
    if (!problems.rule(`${at}["${name}"]`, version, EKS_ADDON_VERSION_RULE)) continue;
    if (name === 'kube-proxy' && kubernetesVersionOk) {
      problems.check(version.startsWith(`v${env.cluster.kubernetesVersion}.`), `${at}["kube-proxy"]`, version, `a kube-proxy of Kubernetes ${env.cluster.kubernetesVersion} ("v${env.cluster.kubernetesVersion}.<patch>-eksbuild.<n>"), the cluster's version`);
    }
  }
  const unknown = Object.keys(versions).filter((name) => !(EKS_ADDON_NAMES as readonly string[]).includes(name));
  problems.check(unknown.length === 0, at, unknown, `only the add-ons the cluster runs: ${EKS_ADDON_NAMES.join(', ')}`);
}

/** Pod addresses at max size must fit the private subnets (see `config/capacity.ts`). */
function validateCapacity(env: EnvironmentSettings, problems: Problems): void {
  const group = env.cluster.nodeGroup;
  const field = `${env.name}.cluster.nodeGroup`;
  try {
    const report = checkPodCapacity({
      instanceTypes: group.instanceTypes,
      maxNodes: group.maxSize,
      prefixDelegation: env.cluster.prefixDelegation,
      privateSubnetCidrs: env.network.privateSubnetCidrs,
      // One address per interface endpoint in every private subnet: counted from the list the network stack creates.
      interfaceEndpoints: interfaceEndpointServices(env.network).length,
    });
    if (!report.fits) {
      const hint = env.cluster.prefixDelegation
        ? 'turn prefixDelegation off (it claims a /28 per 16 pods), lower maxSize or enlarge the private subnets'
        : 'lower maxSize, pick an instance type with fewer IPs per ENI or enlarge the private subnets';
      problems.addMessage(`${field}: pod addresses fall short by ${-report.spare}: ${report.summary}; ${hint}`);
    }
  } catch (error) {
    if (!(error instanceof UnknownInstanceTypeError)) throw error;
    problems.addMessage(`${field}.instanceTypes: ${error.message}`);
  }
}
