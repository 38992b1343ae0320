import { BILLING, DNS, ENVIRONMENTS, REGISTRY } from './environments';
import { BillingSettings, DnsSettings, ENVIRONMENT_NAMES, EnvironmentName, EnvironmentSettings, RegistrySettings } from './settings';
import { validateAccountSettings } from './validation/account';
import { validateAvailability } from './validation/availability';
import { validateArgoCd } from './validation/argocd';
import { validateCluster } from './validation/cluster';
import { validateData } from './validation/data';
import { validateEdge } from './validation/edge';
import { validateGitOps } from './validation/gitops';
import { validateNetwork } from './validation/network';
import { validateBillingSettings, validateObservability } from './validation/observability';
import { validatePolicy } from './validation/policy';
import { Problems, SettingsError } from './validation/problems';
import { validateRegistrySettings } from './validation/registry';
import { AWS_REGION } from './validation/rules';

export { SettingsError } from './validation/problems';

/** Checks one environment's settings; throws a SettingsError listing every problem found. */
export function validateEnvironment(env: EnvironmentSettings): EnvironmentSettings {
  const problems = new Problems();
  problems.rule(`${env.name}.region`, env.region, AWS_REGION);
  validateNetwork(env, problems);
  validateData(env, problems);
  validateEdge(env, problems);
  validateCluster(env, problems);
  validateGitOps(env, problems);
  validateArgoCd(env, problems);
  validateObservability(env, problems);
  validatePolicy(env.policy, `${env.name}.policy`, problems);
  validateAvailability(env, problems);
  problems.throwIfAny();
  return env;
}

/** Checks the account-wide registry settings. */
export function validateRegistry(
  registry: RegistrySettings,
  environments: Readonly<Record<EnvironmentName, EnvironmentSettings>> = ENVIRONMENTS,
): RegistrySettings {
  const problems = new Problems();
  validateRegistrySettings(registry, environments, problems);
  validatePolicy(registry.policy, 'registry.policy', problems);
  problems.throwIfAny();
  return registry;
}

/**
 * Checks what spans environments in the shared account (one zone, disjoint VPC CIDRs) and the account-wide
 * `dns` settings; throws a SettingsError listing every problem found.
 */
export function validateAccount(
  environments: Readonly<Record<EnvironmentName, EnvironmentSettings>> = ENVIRONMENTS,
  dns: DnsSettings = DNS,
): DnsSettings {
  const problems = new Problems();
  validateAccountSettings(environments, dns, problems);
  // One zone for all environments: each Grafana needs its own name (external-dns owns records per cluster).
  const grafanaHosts = ENVIRONMENT_NAMES.map((name) => environments[name].observability.grafanaHostname);
  ENVIRONMENT_NAMES.forEach((name, i) => {
    const host = grafanaHosts[i];
    problems.check(grafanaHosts.indexOf(host) === i, `${name}.observability.grafanaHostname`, host, 'a name no other environment uses (they share one hosted zone)');
  });
  problems.throwIfAny();
  return dns;
}

/**
 * Resolves the environment named by `TIKETI_ENV` (default `dev`) and validates it, after the checks that
 * span environments (`validateAccount`). An unknown name fails with the list of valid ones.
 */
export function loadEnvironment(
  name: string | undefined = process.env.TIKETI_ENV,
  environments: Readonly<Record<EnvironmentName, EnvironmentSettings>> = ENVIRONMENTS,
  dns: DnsSettings = DNS,
): EnvironmentSettings {
  const chosen = name === undefined || name === '' ? 'dev' : name;
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(chosen)) {
    throw new SettingsError([`TIKETI_ENV: got ${JSON.stringify(chosen)}, expected one of ${ENVIRONMENT_NAMES.join(', ')}`]);
  }
  validateAccount(environments, dns);
  return validateEnvironment(environments[chosen as EnvironmentName]);
}

/** Checks the account-wide billing settings (the budget of the `billing` stack). */
export function validateBilling(billing: BillingSettings = BILLING): BillingSettings {
  const problems = new Problems();
  validateBillingSettings(billing, problems);
  problems.throwIfAny();
  return billing;
}

export function loadRegistry(): RegistrySettings {
  return validateRegistry(REGISTRY);
}
