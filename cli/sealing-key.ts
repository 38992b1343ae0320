/**
 * `npm run sealing-key -- --env <env>`: creates the environment's Sealed Secrets key pair once. It generates
 * the pair (cli/lib/sealing-keypair.ts), stores it in Secrets Manager (`tiketi/<env>/sealed-secrets-key`,
 * created empty by the cluster stack) and writes the public certificate to `gitops/sealing-certs/<env>.pem`
 * for offline sealing. It refuses to replace a stored key: every SealedSecret in git is encrypted for it.
 * `--restore-cert` rewrites the committed certificate from the stored key instead.
 */
import * as path from 'path';
import { EnvironmentName } from '../config/settings';
import { Command, CommandError, Io, cliMain, writeAll } from './lib/command';
import { environmentOption, noPositionals } from './lib/environment';
import { SealingKeyPairOptions, generateSealingKeyPair, parseSealingKeySecret, sealingKeySecretValue } from './lib/sealing-keypair';
import { SecretStore, awsSecretStore } from './lib/secret-store';

export const sealingCertPath = (root: string, env: EnvironmentName): string => path.join(root, 'gitops', 'sealing-certs', `${env}.pem`);

export interface SealingKeyDeps {
  readonly store: (region: string) => SecretStore;
  /** @default - RSA 4096, ten years */
  readonly keyOptions?: SealingKeyPairOptions;
}

export function sealingKeyCommand(deps: SealingKeyDeps = { store: awsSecretStore }): Command {
  return {
    name: 'sealing-key',
    synopsis: '--env <dev|staging|prod> [--restore-cert]',
    description:
      'Generates the environment\'s Sealed Secrets key pair, stores it in Secrets Manager and writes its certificate to gitops/sealing-certs/<env>.pem. Refuses to overwrite a stored key.',
    options: { env: { type: 'string' }, 'restore-cert': { type: 'boolean' } },
    help: [
      '--env <name>     environment (the secret is argocd.secrets.sealingKey of its settings)',
      '--restore-cert   write gitops/sealing-certs/<env>.pem from the stored key; generate nothing',
      'Needs AWS credentials that may DescribeSecret/PutSecretValue on the secret and use its KMS key.',
    ],
    async run(args, io: Io) {
      noPositionals(args);
      const env = environmentOption(args);
      const secretId = env.argocd.secrets.sealingKey;
      const store = deps.store(env.region);
      const certFile = sealingCertPath(io.root, env.name);
      const relative = path.relative(io.root, certFile);

      if (args.values['restore-cert']) {
        if (!(await store.hasValue(secretId))) throw new CommandError(`${secretId} holds no key yet: run without --restore-cert to create one`);
        let pair;
        try {
          pair = parseSealingKeySecret(await store.getValue(secretId));
        } catch (error) {
          throw new CommandError(`${secretId}: ${(error as Error).message}`);
        }
        writeAll(new Map([[certFile, pair.certificatePem]]));
        return `sealing-key: wrote ${relative} from ${secretId}`;
      }

      if (await store.hasValue(secretId)) {
        throw new CommandError(
          `${secretId} already holds a sealing key; refusing to overwrite it (every SealedSecret of ${env.name} is sealed for it). To rewrite the certificate from it: npm run sealing-key -- --env ${env.name} --restore-cert`,
        );
      }
      const pair = await generateSealingKeyPair(deps.keyOptions);
      await store.putValue(secretId, sealingKeySecretValue(pair));
      // Two people running this at once would both see "no value"; the second version shows it.
      const versions = await store.versionCount(secretId);
      if (versions !== 1) {
        throw new CommandError(`${secretId} now has ${versions} versions: someone else stored a key at the same time. Keep one (aws secretsmanager list-secret-version-ids), then run --restore-cert`);
      }
      writeAll(new Map([[certFile, pair.certificatePem]]));
      return `sealing-key: stored a new key pair in ${secretId} and wrote ${relative} (commit it)`;
    },
  };
}

if (require.main === module) cliMain(sealingKeyCommand());
