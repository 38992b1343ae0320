/**
 * The Secrets Manager calls the operator commands make, behind an interface so jest runs them against an
 * in-memory fake. The real store uses the AWS SDK with the caller's credentials (AWS_PROFILE, SSO, CI role).
 */
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CommandError } from './command';

export interface SecretStore {
  /** Whether `secretId` holds a current value; throws CommandError when the secret itself does not exist. */
  hasValue(secretId: string): Promise<boolean>;
  /** The current value. */
  getValue(secretId: string): Promise<string>;
  /** Stores `value` as the new current version. */
  putValue(secretId: string, value: string): Promise<void>;
  /** How many versions the secret has (a concurrent writer shows up as a second one). */
  versionCount(secretId: string): Promise<number>;
}

const missing = (secretId: string) =>
  new CommandError(`no secret ${secretId} in Secrets Manager: deploy the cluster stack first (npx cdktf deploy cluster), it creates the secret without a value`);

export function awsSecretStore(region: string): SecretStore {
  const client = new SecretsManagerClient({ region });
  const describe = async (secretId: string) => {
    try {
      return await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    } catch (error) {
      if (error instanceof ResourceNotFoundException) throw missing(secretId);
      throw new CommandError(`cannot read ${secretId}: ${(error as Error).message}`);
    }
  };
  return {
    async hasValue(secretId) {
      const stages = Object.values((await describe(secretId)).VersionIdsToStages ?? {});
      return stages.some((s) => s.includes('AWSCURRENT'));
    },
    async versionCount(secretId) {
      return Object.keys((await describe(secretId)).VersionIdsToStages ?? {}).length;
    },
    async getValue(secretId) {
      try {
        const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        if (result.SecretString === undefined) throw new CommandError(`${secretId} holds no string value`);
        return result.SecretString;
      } catch (error) {
        if (error instanceof ResourceNotFoundException) throw missing(secretId);
        if (error instanceof CommandError) throw error;
        throw new CommandError(`cannot read ${secretId}: ${(error as Error).message}`);
      }
    },
    async putValue(secretId, value) {
      try {
        await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: value }));
      } catch (error) {
        if (error instanceof ResourceNotFoundException) throw missing(secretId);
        throw new CommandError(`cannot write ${secretId}: ${(error as Error).message}`);
      }
    },
  };
}
