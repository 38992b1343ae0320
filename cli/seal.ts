/**
 * `npm run seal -- <env> <secret-name> KEY=VALUE…` (or `--from-file KEY=PATH`, or `KEY=VALUE` lines on
 * standard input, so values stay out of shell history): encrypts offline, with the environment's committed
 * sealing certificate, into the overlay's SealedSecret, strict scope (bound to name and namespace), merging
 * with the keys already sealed. Format and proof of compatibility: cli/lib/sealing.ts, docs/delivery.md.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Document, isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { checkArgument } from './lib/arguments';
import { cliMain, Command, CommandError, UsageError, writeAll } from './lib/command';
import { K8S_DATA_KEY, K8S_NAMESPACE, K8S_OBJECT_NAME } from '../config/validation/rules';
import { namespaceOf, overlayDir, parseEnvironment } from './lib/names';
import { readYaml, YAML_OUTPUT } from './lib/overlay';
import { hybridEncrypt, parseCertificate, strictScopeLabel } from './lib/sealing';
import { ENVIRONMENT_NAMES, EnvironmentName } from '../config/settings';
import { MONITORING_NAMESPACE } from '../config/observability';

const SCOPE_ANNOTATIONS = ['sealedsecrets.bitnami.com/cluster-wide', 'sealedsecrets.bitnami.com/namespace-wide'];

export const sealingCertFile = (root: string, env: EnvironmentName): string => path.join(root, 'gitops', 'sealing-certs', `${env}.pem`);
export const sealedSecretsDir = (root: string, env: EnvironmentName): string => path.join(overlayDir(root, env), 'sealed-secrets');

/**
 * The namespaces `--namespace` accepts besides the environment's own, with the folder their SealedSecrets
 * live in (the kustomize source of the Application that deploys into that namespace).
 */
export const PLATFORM_SEALED_SECRETS: Readonly<Record<string, (root: string, env: EnvironmentName) => string>> = {
  [MONITORING_NAMESPACE]: (root, env) => path.join(root, 'gitops', 'platform', 'monitoring', 'overlays', env, 'sealed-secrets'),
};

interface Value {
  readonly key: string;
  readonly bytes: Buffer;
  readonly from: string;
}

function parseAssignment(text: string, from: string): { key: string; rest: string } {
  const at = text.indexOf('=');
  // Never echo the text: it may be a value pasted without its key.
  if (at < 0) throw new UsageError(`${from}: expected KEY=VALUE, found no "=" (the text is not shown: it may be a secret)`);
  if (at === 0) throw new UsageError(`${from}: expected KEY=VALUE, the key is empty`);
  const key = text.slice(0, at);
  const problem = K8S_DATA_KEY.problem(key);
  if (problem) throw new UsageError(`${from}: key ${JSON.stringify(key)} is not ${K8S_DATA_KEY.kind} (${problem})`);
  return { key, rest: text.slice(at + 1) };
}

async function collectValues(positionals: readonly string[], fromFiles: readonly string[], root: string, readStdin: () => Promise<string>): Promise<Value[]> {
  const values: Value[] = [];
  for (const arg of positionals) {
    const { key, rest } = parseAssignment(arg, 'argument');
    values.push({ key, bytes: Buffer.from(rest, 'utf8'), from: 'argument' });
  }
  for (const spec of fromFiles) {
    const { key, rest } = parseAssignment(spec, '--from-file');
    const file = path.resolve(root, rest);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`--from-file ${key}: no such file ${rest}`);
    values.push({ key, bytes: fs.readFileSync(file), from: `--from-file ${rest}` });
  }
  if (values.length === 0) {
    const lines = (await readStdin()).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '' || line.trimStart().startsWith('#')) return;
      const { key, rest } = parseAssignment(line, `standard input line ${i + 1}`);
      values.push({ key, bytes: Buffer.from(rest, 'utf8'), from: `standard input line ${i + 1}` });
    });
  }
  if (values.length === 0) throw new UsageError('no values: give KEY=VALUE arguments, --from-file KEY=PATH, or KEY=VALUE lines on standard input');
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.key)) throw new UsageError(`key ${v.key} given twice`);
    seen.add(v.key);
    if (v.bytes.length === 0) throw new UsageError(`key ${v.key} has an empty value (${v.from})`);
  }
  return values;
}

function newSealedSecret(name: string, namespace: string, env: EnvironmentName): Document {
  const doc = new Document({
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name, namespace },
    spec: { encryptedData: {}, template: { metadata: { name, namespace }, type: 'Opaque' } },
  });
  doc.commentBefore = [
    ` SealedSecret written by \`npm run seal\` (docs/delivery.md, "Secrets"). Every value is sealed for`,
    ` ${namespace}/${name} only (strict scope); only the ${env} controller's private key opens it.`,
    ` Add or replace keys: npm run seal -- ${env} ${name} KEY=VALUE (or KEY=VALUE lines on standard input).`,
  ].join('\n');
  return doc;
}

/** Checks an existing file is the SealedSecret this command would write, sealed with strict scope. */
function checkExisting(doc: Document, name: string, namespace: string, shown: string): YAMLMap {
  const problems: string[] = [];
  if (doc.get('apiVersion') !== 'bitnami.com/v1alpha1' || doc.get('kind') !== 'SealedSecret') problems.push('it is not a bitnami.com/v1alpha1 SealedSecret');
  if (doc.getIn(['metadata', 'name']) !== name) problems.push(`its metadata.name is ${JSON.stringify(doc.getIn(['metadata', 'name']))}, not ${name}`);
  if (doc.getIn(['metadata', 'namespace']) !== namespace) problems.push(`its metadata.namespace is ${JSON.stringify(doc.getIn(['metadata', 'namespace']))}, not ${namespace}`);
  for (const where of [['metadata', 'annotations'], ['spec', 'template', 'metadata', 'annotations']]) {
    for (const a of SCOPE_ANNOTATIONS) if (String(doc.getIn([...where, a])) === 'true') problems.push(`it is sealed with ${a}, not strict scope`);
  }
  const data = doc.getIn(['spec', 'encryptedData'], true);
  if (!isMap(data)) problems.push('it has no spec.encryptedData mapping');
  if (problems.length > 0) throw new CommandError(`${shown} cannot be merged into: ${problems.join('; ')}`);
  return data as YAMLMap;
}

/** Sets `key` in a mapping: replaced in place, or inserted in key order. */
function setSorted(map: YAMLMap, key: string, value: string): 'replaced' | 'added' {
  if (map.has(key)) {
    map.set(key, value);
    return 'replaced';
  }
  const pair = map.items.findIndex((p) => String((p.key as { value?: unknown })?.value ?? p.key) > key);
  const node = new Document().createPair(key, value);
  if (pair === -1) map.items.push(node);
  else map.items.splice(pair, 0, node);
  return 'added';
}

/** Lists `file` under `resources:` of the folder's kustomization.yaml; returns the new text, or undefined if listed. */
function listResource(kustomizationFile: string, file: string, root: string): string | undefined {
  const k = readYaml(kustomizationFile, root);
  const resources = k.doc.get('resources', true);
  if (resources !== undefined && !isSeq(resources)) throw new CommandError(`${path.relative(root, kustomizationFile)}: resources: is not a list`);
  if (isSeq(resources) && resources.items.some((i) => String((i as { value?: unknown }).value ?? i) === file)) return undefined;
  const seq = isSeq(resources) ? resources : (k.doc.createNode([]) as YAMLSeq);
  seq.flow = false;
  seq.items.push(k.doc.createNode(file));
  k.doc.set('resources', seq);
  // A commented-out copy of the line ("#  - tiketi-secrets.yaml   # add this line ...") has done its job.
  const hint = new RegExp(`^\\s*-\\s*${file.replace(/[.]/g, '\\.')}\\b.*$`);
  if (k.doc.comment) k.doc.comment = k.doc.comment.split('\n').filter((line) => !hint.test(line)).join('\n') || null;
  return k.doc.toString(YAML_OUTPUT);
}

export const seal: Command = {
  name: 'seal',
  synopsis: '<env> <secret-name> [KEY=VALUE…] [--from-file KEY=PATH]… [--cert FILE] [--namespace NAMESPACE]',
  description:
    'Seals values offline into gitops/overlays/<env>/sealed-secrets/<secret-name>.yaml, a SealedSecret bound to ' +
    'that name and the namespace tiketi-<env> (strict scope), with the committed certificate ' +
    'gitops/sealing-certs/<env>.pem. Keys already sealed there are kept unless given again. With no ' +
    'KEY=VALUE and no --from-file, reads KEY=VALUE lines from standard input (blank and # lines skipped), ' +
    'so values stay out of shell history. Lists the file in the folder\'s kustomization.yaml. With --namespace ' +
    'monitoring, the SealedSecret is for that namespace, in gitops/platform/monitoring/overlays/<env>/sealed-secrets/.',
  options: { 'from-file': { type: 'string', multiple: true }, cert: { type: 'string' }, namespace: { type: 'string' } },
  help: [
    `<env>                   one of ${ENVIRONMENT_NAMES.join(', ')} (its overlay must have a sealed-secrets/ folder)`,
    '<secret-name>           the Secret to create in the cluster, e.g. tiketi-secrets',
    'KEY=VALUE               a value (it ends up in shell history: prefer standard input)',
    '--from-file KEY=PATH    a value read from a file, bytes as they are (paths relative to the repository root)',
    '--cert FILE             seal with this PEM certificate instead of gitops/sealing-certs/<env>.pem (as kubeseal --cert)',
    `--namespace NAMESPACE   tiketi-<env> (the default) or a platform namespace: ${Object.keys(PLATFORM_SEALED_SECRETS).join(', ')}`,
  ],
  async run(args, io) {
    const [envArg, name, ...assignments] = args.positionals;
    const env = parseEnvironment(envArg);
    if (name === undefined) throw new UsageError('missing <secret-name>');
    checkArgument('<secret-name>', name, K8S_OBJECT_NAME);
    const values = await collectValues(assignments, (args.values['from-file'] as string[] | undefined) ?? [], io.root, () => io.readStdin());

    const namespaceArg = args.values.namespace as string | undefined;
    if (namespaceArg !== undefined) checkArgument('--namespace', namespaceArg, K8S_NAMESPACE);
    const platformFolder = namespaceArg === undefined || namespaceArg === namespaceOf(env) ? undefined : PLATFORM_SEALED_SECRETS[namespaceArg];
    if (namespaceArg !== undefined && namespaceArg !== namespaceOf(env) && !platformFolder) {
      throw new UsageError(`--namespace ${JSON.stringify(namespaceArg)}: expected ${[namespaceOf(env), ...Object.keys(PLATFORM_SEALED_SECRETS)].join(' or ')}`);
    }
    const folder = platformFolder ? platformFolder(io.root, env) : sealedSecretsDir(io.root, env);
    if (!fs.existsSync(folder)) throw new CommandError(`${env} takes no SealedSecrets: ${path.relative(io.root, folder)}/ does not exist`);
    const certArg = args.values.cert as string | undefined;
    const certFile = certArg !== undefined ? path.resolve(io.root, certArg) : sealingCertFile(io.root, env);
    const certShown = path.relative(io.root, certFile);
    if (!fs.existsSync(certFile)) {
      throw new CommandError(
        certArg !== undefined ? `--cert ${certArg}: no such file` : `no sealing certificate ${certShown}: create the ${env} key pair first (docs/delivery.md, "Secrets"), or pass --cert FILE`,
      );
    }
    const cert = parseCertificate(fs.readFileSync(certFile, 'utf8'), certShown);

    const namespace = platformFolder ? (namespaceArg as string) : namespaceOf(env);
    const file = path.join(folder, `${name}.yaml`);
    const shown = path.relative(io.root, file);
    const doc = fs.existsSync(file) ? parseDocument(fs.readFileSync(file, 'utf8')) : newSealedSecret(name, namespace, env);
    if (doc.errors.length > 0) throw new CommandError(`${shown}: not valid YAML: ${doc.errors[0].message}`);
    const encryptedData = checkExisting(doc, name, namespace, shown);
    const before = encryptedData.items.map((p) => String((p.key as { value?: unknown })?.value ?? p.key));

    const label = strictScopeLabel(namespace, name);
    const outcome = values.map((v) => ({ key: v.key, how: setSorted(encryptedData, v.key, hybridEncrypt(cert.publicKey, v.bytes, label)) }));
    const kept = before.filter((k) => !values.some((v) => v.key === k));

    const writes = new Map<string, string>([[file, doc.toString(YAML_OUTPUT)]]);
    const kustomization = listResource(path.join(folder, 'kustomization.yaml'), `${name}.yaml`, io.root);
    if (kustomization !== undefined) writes.set(path.join(folder, 'kustomization.yaml'), kustomization);
    writeAll(writes);

    const describe = (how: string) => outcome.filter((o) => o.how === how).map((o) => o.key);
    const parts = [
      describe('added').length ? `added ${describe('added').join(', ')}` : '',
      describe('replaced').length ? `replaced ${describe('replaced').join(', ')}` : '',
      kept.length ? `kept ${kept.join(', ')}` : '',
    ].filter(Boolean);
    return `seal: ${env} ${name}: ${parts.join('; ')}; strict scope ${namespace}/${name}, certificate sha256 ${cert.fingerprint.slice(0, 23)}… (${shown})`;
  },
};

if (require.main === module) cliMain(seal);
