import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ENVIRONMENTS } from '../../config/environments';
import { ALL_ENVIRONMENTS, resourcesOf } from '../support/synth';
import { REPO_ROOT } from './helpers/chart-values';
import { argocdJson, k8sObject, namespaceAddress, releases } from './helpers/stack';

/** Policy, stated once: chart, repository, version and namespace of every release. */
const RELEASES = {
  'argo-cd': { repository: 'https://argoproj.github.io/argo-helm', version: '10.1.1', namespace: /namespaces_argocd_/ },
  'argocd-apps': { repository: 'https://argoproj.github.io/argo-helm', version: '2.0.5', namespace: /^argocd$/ },
  'sealed-secrets': { repository: 'https://bitnami-labs.github.io/sealed-secrets', version: '2.18.5', namespace: /^kube-system$/ },
  'aws-load-balancer-controller': { repository: 'https://aws.github.io/eks-charts', version: '3.5.0', namespace: /^kube-system$/ },
  'external-dns': { repository: 'https://kubernetes-sigs.github.io/external-dns', version: '1.21.1', namespace: /^external-dns$/ },
  'cluster-autoscaler': { repository: 'https://kubernetes.github.io/autoscaler', version: '9.59.0', namespace: /^kube-system$/ },
};

const REMOTE_CLUSTER = /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-cluster\.outputs\./;

describe.each(ALL_ENVIRONMENTS)('argocd stack (%s)', (envName) => {
  const env = ENVIRONMENTS[envName];
  const json = () => argocdJson(envName);
  const release = (chart: string) => releases(json())[chart];

  test('installs exactly the six pinned charts, each in its namespace, atomically with history and a timeout', () => {
    const all = releases(json());
    expect(Object.keys(all).sort()).toEqual(Object.keys(RELEASES).sort());
    for (const [chart, expected] of Object.entries(RELEASES)) {
      const { config } = all[chart];
      expect({ chart, repository: config.repository, version: config.version }).toEqual({ chart, repository: expected.repository, version: expected.version });
      expect(config.namespace).toMatch(expected.namespace);
      expect(config).toMatchObject({ atomic: true, cleanup_on_fail: true, max_history: 10, wait: true, create_namespace: false });
      expect(config.timeout).toBeGreaterThanOrEqual(300);
      // Nothing but the one values document: no set/set_sensitive that would put a value in state.
      expect(config.set).toBeUndefined();
      expect(config.set_sensitive).toBeUndefined();
    }
  });

  test('both providers authenticate with exec (aws eks get-token), never with a stored token', () => {
    const providers = json().provider!;
    const kubernetes = providers.kubernetes[0];
    const helm = providers.helm[0].kubernetes;
    for (const config of [kubernetes, helm]) {
      const exec = Array.isArray(config.exec) ? config.exec[0] : config.exec;
      expect(exec.command).toBe('aws');
      expect(exec.api_version).toBe('client.authentication.k8s.io/v1beta1');
      expect(exec.args.slice(0, 3)).toEqual(['eks', 'get-token', '--cluster-name']);
      expect(exec.args[3]).toMatch(REMOTE_CLUSTER);
      expect(exec.args.slice(4, 6)).toEqual(['--region', env.region]);
      expect(config.token).toBeUndefined();
      expect(config.cluster_ca_certificate).toMatch(/^\$\{base64decode\(data\.terraform_remote_state\.cross-stack-reference-input-cluster/);
    }
    expect(JSON.stringify(json())).not.toMatch(/aws_eks_cluster_auth/);
    // helm 3.x: `kubernetes` is one object, `exec` inside it one object.
    expect(Array.isArray(providers.helm[0].kubernetes)).toBe(false);
  });

  test('the providers reach the private API through the SSM tunnel: local host, real server name', () => {
    const access = env.argocd.kubernetesApi;
    expect(access.mode).toBe('ssm-tunnel');
    const port = access.mode === 'ssm-tunnel' ? access.localPort : 0;
    for (const config of [json().provider!.kubernetes[0], json().provider!.helm[0].kubernetes]) {
      expect(config.host).toBe(`https://127.0.0.1:${port}`);
      expect(config.tls_server_name).toMatch(/^\$\{replace\(data\.terraform_remote_state\.cross-stack-reference-input-cluster\.outputs\.[^,]*endpoint, "https:\/\/", ""\)\}$/);
    }
  });

  test('namespaces: the application namespace restricted, readiness gates on, labelled with the environment', () => {
    const labels = k8sObject(json(), 'kubernetes_namespace_v1', `tiketi-${envName}`).config.metadata.labels;
    expect(labels).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
      'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
      'tiketi.com/environment': envName,
    });
    expect(k8sObject(json(), 'kubernetes_namespace_v1', 'external-dns').config.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const argocd = k8sObject(json(), 'kubernetes_namespace_v1', 'argocd').config.metadata.labels;
    expect([argocd['pod-security.kubernetes.io/enforce'], argocd['pod-security.kubernetes.io/warn']]).toEqual(['baseline', 'restricted']);
    // kube-prometheus-stack: baseline enforced, restricted warned (like argocd); the node agents (node-exporter,
    // Fluent Bit) need the host: the one privileged namespace.
    const monitoring = k8sObject(json(), 'kubernetes_namespace_v1', 'monitoring').config.metadata.labels;
    expect([monitoring['pod-security.kubernetes.io/enforce'], monitoring['pod-security.kubernetes.io/warn']]).toEqual(['baseline', 'restricted']);
    const agents = k8sObject(json(), 'kubernetes_namespace_v1', 'node-agents').config.metadata.labels;
    expect([agents['pod-security.kubernetes.io/enforce'], agents['pod-security.kubernetes.io/warn']]).toEqual(['privileged', 'baseline']);
    const names = Object.values(resourcesOf(json(), 'kubernetes_namespace_v1')).map((n: any) => n.metadata.name);
    expect(names.sort()).toEqual(['argocd', 'external-dns', 'monitoring', 'node-agents', `tiketi-${envName}`].sort());
  });

  test('no release creates its namespace, and every namespaced release waits for the namespaces', () => {
    const nsAddresses = ['argocd', 'external-dns', `tiketi-${envName}`].map((n) => namespaceAddress(json(), n));
    for (const chart of ['aws-load-balancer-controller', 'external-dns', 'cluster-autoscaler', 'argocd-apps']) {
      expect(release(chart).config.depends_on).toEqual(expect.arrayContaining(nsAddresses));
    }
  });

  test('the default StorageClass is encrypted gp3 on the EBS CSI driver, bound at scheduling', () => {
    const classes = Object.values(resourcesOf(json(), 'kubernetes_storage_class_v1')) as any[];
    expect(classes).toHaveLength(1);
    expect(classes[0]).toMatchObject({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      storage_provisioner: 'ebs.csi.aws.com',
      volume_binding_mode: 'WaitForFirstConsumer',
      allow_volume_expansion: true,
      parameters: { type: 'gp3', encrypted: 'true' },
    });
  });

  test('Argo CD: HA (redis-ha, 2+ replicas, PDBs) exactly where the settings say', () => {
    const values = release('argo-cd').values;
    const ha = env.argocd.highAvailability;
    expect(ha).toBe(envName === 'prod');
    expect(values['redis-ha'].enabled).toBe(ha);
    for (const component of ['server', 'repoServer', 'applicationSet']) {
      expect(values[component].pdb.enabled).toBe(ha);
      expect(values[component].replicas).toBe(ha ? 2 : 1);
    }
    expect(values.controller.replicas).toBe(1);
    expect(release('argo-cd').config.timeout).toBe(ha ? 1200 : 600);
  });

  test('Argo CD behind an internet-facing ALB: gRPC backend, insecure server behind TLS, certificate, WAF and CIDRs', () => {
    const values = release('argo-cd').values;
    expect(values.configs.params['server.insecure']).toBe(true);
    const ingress = values.server.ingress;
    expect(ingress).toMatchObject({ enabled: true, controller: 'aws', ingressClassName: 'alb', hostname: env.argocd.hostname, aws: { backendProtocolVersion: 'GRPC' } });
    const a = ingress.annotations;
    expect(a['alb.ingress.kubernetes.io/scheme']).toBe('internet-facing');
    expect(a['alb.ingress.kubernetes.io/listen-ports']).toBe('[{"HTTPS":443}]');
    expect(a['alb.ingress.kubernetes.io/ssl-policy']).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    // Grafana shares this ALB (IngressGroup tiketi-<env>-platform): both certificates on the one HTTPS listener.
    expect(a['alb.ingress.kubernetes.io/certificate-arn'].split(',')).toEqual([
      expect.stringMatching(/^\$\{aws_acm_certificate_validation\.argocd-certificate/),
      expect.stringMatching(/^\$\{aws_acm_certificate_validation\.grafana-certificate/),
    ]);
    expect(a['alb.ingress.kubernetes.io/group.name']).toBe(`tiketi-${envName}-platform`);
    expect(a['alb.ingress.kubernetes.io/wafv2-acl-arn']).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-edge\.outputs\.[^}]*regional-waf[^}]*arn\}$/);
    expect(a['alb.ingress.kubernetes.io/inbound-cidrs']).toBe(env.argocd.inboundCidrs.join(','));
    const certificate = Object.values(resourcesOf(json(), 'aws_acm_certificate')) as any[];
    expect(certificate.map((c) => c.domain_name).sort()).toEqual([env.argocd.hostname, env.observability.grafanaHostname].sort());
  });

  test('Argo CD access: local admin off, SSO via Dex GitHub, read-only by default, admin group from settings', () => {
    const { cm, rbac, secret } = release('argo-cd').values.configs;
    expect(cm['admin.enabled']).toBe(false);
    expect(cm['exec.enabled']).toBe(false);
    const dex = parse(cm['dex.config']);
    expect(dex.connectors).toEqual([expect.objectContaining({ type: 'github', config: expect.objectContaining({ clientID: '$dex.github.clientID', clientSecret: '$dex.github.clientSecret', orgs: [{ name: 'tiketi' }] }) })]);
    expect(rbac['policy.default']).toBe('role:readonly');
    expect(rbac['policy.csv'].trim().split('\n')).toEqual(['g, tiketi:platform-admins, role:admin']);
    expect(secret.createSecret).toBe(false);
  });

  test('Argo CD: the Application health check (app-of-apps waits on its children) and Slack notifications', () => {
    const values = release('argo-cd').values;
    const lua = values.configs.cm['resource.customizations.health.argoproj.io_Application'];
    expect(lua).toMatch(/hs\.status = obj\.status\.health\.status/);
    expect(lua).toMatch(/return hs/);
    const n = values.notifications;
    expect(n.secret.create).toBe(false);
    expect(n.notifiers['service.slack']).toBe('token: $slack-token\n');
    // Every trigger the ApplicationSet subscribes to exists and sends a template that exists.
    const appSet = parse(fs.readFileSync(path.join(REPO_ROOT, 'gitops', 'argocd', envName, 'applicationset.yaml'), 'utf8'));
    const subscribed = Object.keys(appSet.spec.template.metadata.annotations ?? {})
      .map((k) => /^notifications\.argoproj\.io\/subscribe\.([^.]+)\.slack$/.exec(k)?.[1])
      .filter((t): t is string => t !== undefined);
    expect(subscribed.sort()).toEqual(['on-deployed', 'on-health-degraded', 'on-sync-failed']);
    for (const trigger of subscribed) {
      const definition = parse(n.triggers[`trigger.${trigger}`]);
      for (const template of definition.flatMap((d: any) => d.send)) expect(n.templates[`template.${template}`]).toBeDefined();
    }
    const channels = Object.entries(appSet.spec.template.metadata.annotations ?? {}).filter(([k]) => k.startsWith('notifications.argoproj.io/subscribe.')).map(([, v]) => v);
    expect(new Set(channels)).toEqual(new Set([env.argocd.notificationChannel]));
  });

  test('Sealed Secrets: named for kubeseal, in kube-system, key renewal off, after its key Secret', () => {
    const { config, values } = release('sealed-secrets');
    expect(values).toMatchObject({ fullnameOverride: 'sealed-secrets-controller', keyrenewperiod: '0', secretName: 'sealed-secrets-key' });
    const key = k8sObject(json(), 'kubernetes_secret_v1', 'sealed-secrets-key', 'kube-system');
    expect(key.config.type).toBe('kubernetes.io/tls');
    expect(key.config.metadata.labels).toEqual({ 'sealedsecrets.bitnami.com/sealed-secrets-key': 'active' });
    expect(config.depends_on).toContain(key.address);
  });

  test('the ALB controller: cluster, region and VPC from the cluster stack, 2 replicas with a PDB, WAFv2 on, its service account', () => {
    const values = release('aws-load-balancer-controller').values;
    expect(values.clusterName).toMatch(REMOTE_CLUSTER);
    expect(values.vpcId).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\.[^}]*vpc[^}]*id\}$/);
    expect(values.region).toBe(env.region);
    expect(values.replicaCount).toBe(2);
    expect(values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
    expect(values.enableWafv2).toBe(true);
    expect(values.serviceAccount).toEqual({ create: true, name: 'aws-load-balancer-controller' });
  });

  test('external-dns: Route53, only this environment’s names, TXT owner the cluster, upsert-only in prod', () => {
    const values = release('external-dns').values;
    expect(values.provider).toEqual({ name: 'aws' });
    expect(values.domainFilters.sort()).toEqual([env.edge.apiDomain, env.argocd.hostname, env.observability.grafanaHostname].sort());
    expect(values.txtOwnerId).toMatch(REMOTE_CLUSTER);
    expect(values.policy).toBe(envName === 'prod' ? 'upsert-only' : 'sync');
    expect(values.serviceAccount).toEqual({ create: true, name: 'external-dns' });
    expect(release('external-dns').config.namespace).toBe('external-dns');
  });

  test('Cluster Autoscaler: service account of the Pod Identity association, region and cluster for discovery', () => {
    const values = release('cluster-autoscaler').values;
    expect(values.rbac.serviceAccount.name).toBe('cluster-autoscaler');
    expect(values.awsRegion).toBe(env.region);
    expect(values.autoDiscovery.clusterName).toMatch(REMOTE_CLUSTER);
    expect(values.cloudProvider).toBe('aws');
  });

  test('the root Application comes from gitops/argocd/<env>/root-app.yaml: repo, path, revision, project', () => {
    const values = release('argocd-apps').values;
    expect(Object.keys(values.applications)).toEqual(['tiketi-root']);
    const root = values.applications['tiketi-root'];
    expect(root.project).toBe('default');
    expect(root.source).toEqual({ repoURL: 'git@github.com:tiketi/tiketi-platform.git', targetRevision: env.gitops.branch, path: `gitops/argocd/${envName}` });
    expect(root.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(root.namespace).toBe('argocd');
    // No resources finalizer: removing the root never cascades into the workloads.
    expect(root.finalizers).toBeUndefined();
  });

  test('the repository Secret carries the SSH deploy key for exactly the URL the Applications use', () => {
    const repo = k8sObject(json(), 'kubernetes_secret_v1', env.argocd.repositorySecretName, 'argocd').config;
    expect(repo.metadata.labels['argocd.argoproj.io/secret-type']).toBe('repository');
    expect(repo.data_wo.type).toBe('git');
    expect(repo.data_wo.sshPrivateKey).toBe('${ephemeral.aws_secretsmanager_secret_version.repository_deploy_key.secret_string}');
    const project = parse(fs.readFileSync(path.join(REPO_ROOT, 'gitops', 'argocd', 'project', 'appproject.yaml'), 'utf8'));
    const rootApp = parse(fs.readFileSync(path.join(REPO_ROOT, 'gitops', 'argocd', envName, 'root-app.yaml'), 'utf8'));
    expect(repo.data_wo.url).toBe(rootApp.spec.source.repoURL);
    expect(project.spec.sourceRepos).toEqual([repo.data_wo.url]);
  });

  test('ordering: namespaces and secrets before the releases that read them, the ALB controller before Argo CD, the root last', () => {
    const all = releases(json());
    const addr = (chart: string) => all[chart].address;
    const secretAddr = (name: string, ns: string) => k8sObject(json(), 'kubernetes_secret_v1', name, ns).address;
    expect(all['argo-cd'].config.depends_on).toEqual(expect.arrayContaining([addr('aws-load-balancer-controller'), secretAddr('argocd-secret', 'argocd'), secretAddr('argocd-notifications-secret', 'argocd')]));
    expect(all['argo-cd'].config.namespace).toMatch(/^\$\{kubernetes_namespace_v1\.namespaces_argocd_[^}]*\.metadata\[0\]\.name\}$/);
    for (const chart of ['external-dns', 'cluster-autoscaler']) expect(all[chart].config.depends_on).toContain(addr('aws-load-balancer-controller'));
    const root = all['argocd-apps'].config.depends_on;
    expect(root).toEqual(
      expect.arrayContaining([
        ...['argo-cd', 'sealed-secrets', 'aws-load-balancer-controller', 'external-dns', 'cluster-autoscaler'].map(addr),
        secretAddr(env.argocd.repositorySecretName, 'argocd'),
        secretAddr('in-cluster', 'argocd'),
        Object.keys(resourcesOf(json(), 'kubernetes_storage_class_v1')).map((id) => `kubernetes_storage_class_v1.${id}`)[0],
      ]),
    );
    const associations = Object.keys(resourcesOf(json(), 'aws_eks_pod_identity_association')).map((id) => `aws_eks_pod_identity_association.${id}`);
    expect(root).toEqual(expect.arrayContaining(associations));
    const configMaps = Object.keys(resourcesOf(json(), 'kubernetes_config_map_v1')).map((id) => `kubernetes_config_map_v1.${id}`);
    expect(root).toEqual(expect.arrayContaining(configMaps));
    // Nothing depends on the root: it is the last thing applied (and the first destroyed).
    expect(JSON.stringify(json().resource)).not.toContain(`"${addr('argocd-apps')}"`);
  });

  test('workload Pod Identity roles exist exactly where the services use AWS data', () => {
    const associations = Object.values(resourcesOf(json(), 'aws_eks_pod_identity_association')) as any[];
    if (!env.argocd.workloadsUseAwsData) {
      expect(associations).toEqual([]);
      return;
    }
    expect(associations.map((a) => a.service_account).sort()).toEqual(['auth-service', 'backend', 'db-migration', 'payment-service', 'stats-service', 'ticket-service']);
    expect(new Set(associations.map((a) => a.namespace))).toEqual(new Set([`tiketi-${envName}`]));
    for (const policy of Object.values(resourcesOf(json(), 'aws_iam_role_policy')) as any[]) {
      const statements = JSON.parse(policy.policy).Statement;
      const connect = statements.find((s: any) => s.Action === 'rds-db:connect');
      expect(connect.Resource).toMatch(new RegExp(`^arn:aws:rds-db:${env.region}:\\$\\{data\\.aws_caller_identity\\.account\\.account_id\\}:dbuser:\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-data\\.outputs\\.[^}]*resource_id\\}/tiketi$`));
      for (const s of statements) expect([s.Action].flat()).not.toContain('*');
    }
    const attachments = Object.values(resourcesOf(json(), 'aws_iam_role_policy_attachment')) as any[];
    // The cache-connect policy goes to every service role but the migration Job's (it talks to Postgres only).
    const roleName = (ref: string) => (resourcesOf(json(), 'aws_iam_role') as Record<string, any>)[/^\$\{aws_iam_role\.([^.]+)\./.exec(ref)![1]].name;
    expect(attachments.map((a) => roleName(a.role)).sort()).toEqual(['auth-service', 'backend', 'payment-service', 'stats-service', 'ticket-service'].map((s) => `tiketi-${envName}-app-${s}`));
    for (const a of attachments) expect(a.policy_arn).toMatch(/cross-stack-reference-input-data\.outputs\.[^}]*connect-policy[^}]*arn/);
  });

  test('the stack writes no AWS secret, reads no secret through a data source, and keeps only plain facts in outputs', () => {
    const text = JSON.stringify(json());
    expect(text).not.toMatch(/"data":\{[^}]*"aws_secretsmanager_secret_version"/);
    expect(Object.keys(json().data ?? {})).not.toContain('aws_secretsmanager_secret_version');
    expect(Object.keys(json().resource ?? {})).not.toContain('aws_secretsmanager_secret_version');
    expect(Object.keys(json().output ?? {}).sort()).toEqual(expect.arrayContaining(['argocd_url', 'root_application']));
  });
});

test('TIKETI_ENV=prod synth writes argocd beside the other stacks', () => {
  const stacks = fs.readdirSync(path.join(require('../support/synth').synthApp('prod').outdir, 'stacks'));
  expect(stacks).toEqual(expect.arrayContaining(['argocd', 'cluster', 'data', 'edge', 'network']));
});
