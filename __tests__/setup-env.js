// Tests never reach AWS or HashiCorp: no metadata lookups, no checkpoint calls.
process.env.CHECKPOINT_DISABLE = '1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
