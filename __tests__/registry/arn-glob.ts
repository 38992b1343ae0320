/**
 * IAM's wildcard matching for `Action`, `Resource` and `ArnLike` values: `*` matches any run of characters
 * (slashes and colons included), `?` exactly one; everything else literally. Actions compare case-insensitively.
 */
export function arnMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const isAction = /^[a-z0-9-]+:[A-Za-z*?]+$/.test(pattern);
  return new RegExp(`^${regex}$`, isAction ? 'i' : '').test(value);
}
