import { ALL_ENVIRONMENTS, addressOf, addressesOf, hclList } from '../support/synth';
import { describeStackWithTerraform, hcl, mockAwsProvider, preventedDestroys, remoteStateOverrides } from '../support/terraform';
import { ENVIRONMENTS } from '../../config/environments';
import { EnvironmentName } from '../../config/settings';

/** Realistic values for the network stack's outputs that `data` reads. */
function networkOutput(envName: EnvironmentName): (key: string) => unknown {
  return (key) => {
    if (key.includes('db_subnet_group')) return `tiketi-${envName}-database`;
    if (key.includes('elasticache_subnet_group')) return `tiketi-${envName}-cache`;
    if (key.includes('aws_vpc')) return 'vpc-0a1b2c3d4e5f67890';
    throw new Error(`data reads an unexpected network output ${key}; give it a realistic value here`);
  };
}

describeStackWithTerraform('data', ALL_ENVIRONMENTS, ({ envName, json, terraformTest }) => {
  const env = ENVIRONMENTS[envName];
  const { postgres, redis } = env.data;

  const run = terraformTest('data', () => {
    const stack = json();
    const db = addressOf(stack, 'aws_db_instance', () => true);
    const params = addressOf(stack, 'aws_db_parameter_group', () => true);
    const cache = addressOf(stack, 'aws_elasticache_replication_group', () => true);
    const pgKey = addressOf(stack, 'aws_kms_key', (k) => k['//'].metadata.path.startsWith('data/postgres/'));
    const cacheKey = addressOf(stack, 'aws_kms_key', (k) => k['//'].metadata.path.startsWith('data/redis/'));
    const appUser = addressOf(stack, 'aws_elasticache_user', (u) => u.authentication_mode?.type === 'iam');
    const defaultUser = addressOf(stack, 'aws_elasticache_user', (u) => u.user_name === 'default');
    const pgGroup = addressOf(stack, 'aws_security_group', (g) => g.name === `tiketi-${envName}-postgres`);
    const cacheGroup = addressOf(stack, 'aws_security_group', (g) => g.name === `tiketi-${envName}-cache`);
    const rules = hclList(stack, 'aws_vpc_security_group_ingress_rule');
    const expectedRules = [
      ...env.network.privateSubnetCidrs.map((cidr) => `${cidr}:5432`),
      ...env.network.privateSubnetCidrs.map((cidr) => `${cidr}:6379`),
    ].sort();
    const rulesOf = (group: string) => `[for r in ${rules} : r if r.security_group_id == ${group}.id]`;
    const redisAzs = Array.from({ length: redis.nodeCount }, (_, i) => env.network.availabilityZones[i % env.network.availabilityZones.length]);

    return (
      `${mockAwsProvider({
        extra: `  mock_resource "aws_elasticache_user" {\n    defaults = { arn = "arn:aws:elasticache:ap-northeast-2:123456789012:user:mock" }\n  }`,
      })}

${remoteStateOverrides(stack, networkOutput(envName))}

# Distinct key ARNs, so the asserts can tell which key encrypts what (the shared mock default cannot).
override_resource {
  target = ${pgKey}
  values = { arn = "arn:aws:kms:ap-northeast-2:123456789012:key/11111111-1111-1111-1111-111111111111" }
}
override_resource {
  target = ${cacheKey}
  values = { arn = "arn:aws:kms:ap-northeast-2:123456789012:key/22222222-2222-2222-2222-222222222222" }
}

# RDS always returns the managed secret when manage_master_user_password is on; the mock leaves the list empty.
override_resource {
  target = ${db}
  values = {
  master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:rds!db-mock-AbCdEf", kms_key_id = "arn:aws:kms:ap-northeast-2:123456789012:key/mock", secret_status = "active" }]
  }
}

run "plan" {
  command = plan

  assert {
  condition     = ${db}.engine == "postgres" && ${db}.engine_version == ${hcl(postgres.engineVersion)} && ${params}.family == "postgres${postgres.engineVersion}"
  error_message = "PostgreSQL engine, version or parameter group family differ from the settings"
  }
  assert {
  condition     = ${db}.instance_class == ${hcl(postgres.instanceClass)} && ${db}.storage_type == "gp3" && ${db}.allocated_storage == ${postgres.allocatedStorageGb} && ${db}.max_allocated_storage == ${postgres.maxAllocatedStorageGb}
  error_message = "instance class or storage differ from the settings"
  }
  assert {
  condition     = ${db}.publicly_accessible == false && ${db}.db_subnet_group_name == "tiketi-${envName}-database" && ${db}.port == 5432
  error_message = "the database is not private in the network stack's database subnets"
  }
  assert {
  condition     = ${db}.multi_az == ${postgres.multiAz} && ${db}.backup_retention_period == ${postgres.backupRetentionDays} && ${db}.backup_window == ${hcl(postgres.backupWindow)} && ${db}.maintenance_window == ${hcl(postgres.maintenanceWindow)}
  error_message = "Multi-AZ, backups or windows differ from the settings"
  }
  assert {
  condition     = ${db}.deletion_protection == ${!postgres.disposable} && ${db}.skip_final_snapshot == ${postgres.disposable} && ${db}.delete_automated_backups == ${postgres.disposable} && ${db}.copy_tags_to_snapshot
  error_message = "loss guards (deletion protection, final snapshot, kept backups) differ from the settings"
  }
  assert {
  condition     = ${postgres.disposable ? `${db}.final_snapshot_identifier == null` : `can(regex("^tiketi-${envName}-postgres-final-[0-9]{14}$", ${db}.final_snapshot_identifier))`}
  error_message = "final snapshot identifier is not the unique tiketi-<env>-postgres-final-<yyyymmddhhmmss> (or set in a disposable environment)"
  }
  assert {
  condition     = ${db}.engine_lifecycle_support == "open-source-rds-extended-support-disabled" && ${db}.database_insights_mode == "standard"
  error_message = "RDS may slide into paid Extended Support, or the Database Insights mode is not explicit"
  }
  assert {
  condition     = ${db}.storage_encrypted && ${db}.manage_master_user_password && ${db}.password == null && ${db}.iam_database_authentication_enabled && ${db}.auto_minor_version_upgrade
  error_message = "encryption, managed master password, IAM auth or minor upgrades are off"
  }
  assert {
  condition     = !contains(["postgres", "admin"], ${db}.username) && ${db}.db_name == "tiketi"
  error_message = "default master user name or wrong database name"
  }
  assert {
  condition     = toset(${db}.enabled_cloudwatch_logs_exports) == toset(["postgresql", "upgrade"])
  error_message = "log exports differ"
  }
  assert {
  condition     = ${db}.performance_insights_enabled == ${postgres.monitoring} && ${db}.monitoring_interval == ${postgres.monitoring ? 60 : 0}
  error_message = "monitoring differs from the settings"
  }
  assert {
  condition     = contains([for p in ${params}.parameter : "\${p.name}=\${p.value}"], "rds.force_ssl=1") && length([for p in ${params}.parameter : p if p.name == "log_min_duration_statement"]) == 1
  error_message = "the parameter group does not force TLS or log slow statements"
  }
  assert {
  condition     = ${cache}.engine == "valkey" && ${cache}.engine_version == ${hcl(redis.engineVersion)} && ${cache}.node_type == ${hcl(redis.nodeType)} && ${cache}.num_cache_clusters == ${redis.nodeCount}
  error_message = "Valkey engine, version, node type or node count differ from the settings"
  }
  assert {
  condition     = ${cache}.multi_az_enabled == ${redis.multiAz} && ${cache}.automatic_failover_enabled == ${redis.nodeCount >= 2} && ${cache}.preferred_cache_cluster_azs == tolist(${hcl(redisAzs)})
  error_message = "Multi-AZ, failover or node placement differ from the settings"
  }
  assert {
  condition     = ${cache}.transit_encryption_enabled && ${cache}.transit_encryption_mode == "required" && ${cache}.at_rest_encryption_enabled == "true" && ${cache}.auth_token == null
  error_message = "the cache is not encrypted in transit and at rest, or uses an AUTH token"
  }
  assert {
  condition     = ${cache}.subnet_group_name == "tiketi-${envName}-cache" && ${cache}.snapshot_retention_limit == ${redis.snapshotRetentionDays} && ${cache}.snapshot_window == ${hcl(redis.snapshotWindow)} && ${cache}.maintenance_window == ${hcl(redis.maintenanceWindow)}
  error_message = "subnet group, snapshots or windows differ from the settings"
  }
  assert {
  condition     = ${redis.disposable ? `${cache}.final_snapshot_identifier == null` : `can(regex("^tiketi-${envName}-cache-final-[0-9]{14}$", ${cache}.final_snapshot_identifier))`}
  error_message = "final snapshot of the cache is not the unique tiketi-<env>-cache-final-<yyyymmddhhmmss> (or set in a disposable environment)"
  }
  assert {
  condition     = length([for l in ${cache}.log_delivery_configuration : l if l.log_type == "slow-log" && l.destination_type == "cloudwatch-logs"]) == 1
  error_message = "the slow log is not delivered to CloudWatch"
  }
  assert {
  condition     = ${appUser}.authentication_mode[0].type == "iam" && ${appUser}.user_id == ${appUser}.user_name && startswith(${defaultUser}.access_string, "off ")
  error_message = "the app user does not use IAM auth, or the default user is enabled"
  }
  assert {
  condition     = length(${pgGroup}.egress) == 0 && length(${cacheGroup}.egress) == 0
  error_message = "a data security group has egress rules"
  }
  assert {
  condition     = alltrue([for k in ${hclList(stack, 'aws_kms_key')} : k.enable_key_rotation])
  error_message = "a KMS key does not rotate"
  }
  assert {
  condition     = alltrue([for g in ${hclList(stack, 'aws_cloudwatch_log_group')} : g.retention_in_days == ${env.data.logRetentionDays}])
  error_message = "log retention differs from the settings"
  }
}

run "apply" {
  command = apply

  assert {
  condition     = sort([for r in ${rules} : "\${r.cidr_ipv4}:\${r.from_port}" if r.to_port == r.from_port && r.ip_protocol == "tcp"]) == tolist(${hcl(expectedRules)})
  error_message = "ingress is not exactly the private subnets on 5432/6379"
  }
  assert {
  condition     = length(${rulesOf(pgGroup)}) == ${env.network.privateSubnetCidrs.length} && alltrue([for r in ${rulesOf(pgGroup)} : r.from_port == 5432])
  error_message = "PostgreSQL rules are on the wrong group or port"
  }
  assert {
  condition     = ${db}.vpc_security_group_ids == toset([${pgGroup}.id]) && ${cache}.security_group_ids == toset([${cacheGroup}.id])
  error_message = "the services are not behind their own security groups"
  }
  assert {
  condition     = ${db}.kms_key_id == ${pgKey}.arn && ${db}.master_user_secret_kms_key_id == ${pgKey}.arn && ${postgres.monitoring ? `${db}.performance_insights_kms_key_id == ${pgKey}.arn && ` : ''}${cache}.kms_key_id == ${cacheKey}.arn
  error_message = "the services are not encrypted with their own customer-managed keys"
  }
  assert {
  condition     = alltrue([for g in ${hclList(stack, 'aws_cloudwatch_log_group')} : g.kms_key_id != null])
  error_message = "a log group is not encrypted"
  }
}
`
    );
  });

  test('terraform test (mocked AWS): planned and applied values follow the settings', () => {
    const stack = json();
    const output = run.output();
    expect(output).toMatch(/2 passed, 0 failed/);
    // Terraform test's teardown is refused exactly by the resources that must never be destroyed. (Their
    // KMS keys carry prevent_destroy too, but Terraform reports a refusal only for the first resources in
    // destroy order, the stores that depend on the keys; data-stack.test.ts checks the keys' lifecycle.)
    const guarded = [
      ...(postgres.disposable ? [] : addressesOf(stack, 'aws_db_instance')),
      ...(redis.disposable ? [] : addressesOf(stack, 'aws_elasticache_replication_group')),
    ].sort();
    expect(preventedDestroys(output)).toEqual(guarded);
  });
});
