import { UnknownInstanceTypeError, checkPodCapacity } from '../capacity';
import { parseCidr } from '../cidr';
import { EnvironmentSettings, interfaceEndpointServices } from '../settings';
import { LOG_RETENTION_DAYS, Problems } from './problems';

/**
 * Kubernetes minor versions in EKS *standard* support (extended support bills the control plane at 6×).
 * 1.35: standard support until March 2027. Review when EKS publishes a new version.
 */
export const STANDARD_SUPPORT_VERSIONS = ['1.35'] as const;

/** IAM role names: 1-64 characters of `[\w+=,.@-]`. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

/** EC2 instance type names such as `t3.medium`. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

export function validateCluster(env: EnvironmentSettings, problems: Problems): void {
  const cluster = env.cluster;
  const at = `${env.name}.cluster`;

  problems.oneOf(`${at}.kubernetesVersion`, cluster.kubernetesVersion, STANDARD_SUPPORT_VERSIONS);

  cluster.publicAccessCidrs.forEach((text, i) => {
    const field = `${at}.publicAccessCidrs[${i}]`;
    const cidr = parseCidr(text);
    if (!problems.check(cidr !== undefined, field, text, 'an IPv4 CIDR such as "203.0.113.0/24" with host bits zero')) return;
    if (env.name !== 'dev') {
      problems.check(cidr!.prefix >= 8, field, text, 'specific CIDRs (a /8 or narrower; never "0.0.0.0/0" outside dev)');
    }
  });

  const roleLists = { adminRoleNames: cluster.adminRoleNames, readOnlyRoleNames: cluster.readOnlyRoleNames } as const;
  for (const [name, roles] of Object.entries(roleLists)) {
    roles.forEach((role, i) => problems.check(ROLE_NAME.test(role), `${at}.${name}[${i}]`, role, 'an IAM role name (1-64 of letters, digits and +=,.@_-), not an ARN'));
  }
  problems.check(cluster.adminRoleNames.length > 0, `${at}.adminRoleNames`, cluster.adminRoleNames, 'at least one role (the cluster has no implicit creator admin)');
  const both = cluster.adminRoleNames.filter((role) => cluster.readOnlyRoleNames.includes(role));
  problems.check(both.length === 0, `${at}.readOnlyRoleNames`, both, 'roles not also listed in adminRoleNames (one access entry per principal)');

  problems.oneOf(`${at}.logRetentionDays`, cluster.logRetentionDays, LOG_RETENTION_DAYS);

  const group = cluster.nodeGroup;
  const ng = `${at}.nodeGroup`;
  problems.check(group.instanceTypes.length > 0, `${ng}.instanceTypes`, group.instanceTypes, 'at least one instance type');
  group.instanceTypes.forEach((type, i) => problems.check(INSTANCE_TYPE.test(type), `${ng}.instanceTypes[${i}]`, type, 'an EC2 instance type such as "t3.medium"'));
  const sizesOk = [
    problems.checkInteger(`${ng}.minSize`, group.minSize, 1, 100),
    problems.checkInteger(`${ng}.desiredSize`, group.desiredSize, 1, 100),
    problems.checkInteger(`${ng}.maxSize`, group.maxSize, 1, 100),
  ].every(Boolean);
  if (sizesOk) {
    problems.check(group.minSize <= group.desiredSize && group.desiredSize <= group.maxSize, `${ng}.desiredSize`, group.desiredSize, `minSize (${group.minSize}) ≤ desiredSize ≤ maxSize (${group.maxSize})`);
    // One node per AZ at least, so losing an AZ never removes every node.
    const azs = env.network.availabilityZones.length;
    problems.check(group.minSize >= azs || env.name === 'dev', `${ng}.minSize`, group.minSize, `at least one node per availability zone (${azs}) outside dev`);
  }
  problems.checkInteger(`${ng}.diskSizeGb`, group.diskSizeGb, 20, 1000);

  if (sizesOk && group.instanceTypes.length > 0) validateCapacity(env, problems);
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
