import { DataResource, Fn, Token } from 'cdktf';
import { Construct } from 'constructs';

/**
 * A final-snapshot identifier that is unique per life of the resource: `<prefix>-<yyyymmddhhmmss>`, the
 * time of the plan that created it. A fixed `<prefix>` makes the second destroy after a re-create fail
 * with SnapshotAlreadyExists (the first destroy's snapshot still has that name).
 *
 * How: a `terraform_data` resource stores `plantimestamp()` when it is created and ignores the input
 * afterwards, so the suffix is stable across plans (no churn) and new only when the resource is created
 * anew, i.e. when the stack is re-created. The name reads the stored `input` (not `output`): an ignored
 * attribute plans as its prior value, and on creation as the plan's time, so every plan shows the name. The random provider would do the same with `random_id`, but it
 * is not in the offline mirror; `timestamp()` or `plantimestamp()` used directly would change every plan.
 * A replacement of the database alone keeps the suffix: replace this `terraform_data` too
 * (`terraform apply -replace=<address>`) if the old instance's final snapshot still exists.
 */
export function finalSnapshotIdentifier(scope: Construct, prefix: string): string {
  const created = new DataResource(scope, 'final-snapshot-suffix', {
    input: { created_at: Fn.plantimestamp() },
    lifecycle: { ignoreChanges: ['input'] },
  });
  const createdAt = Token.asString(created.interpolationForAttribute('input.created_at'));
  return `${prefix}-${Fn.formatdate('YYYYMMDDhhmmss', createdAt)}`;
}
