/**
 * One rule per kind of value, used wherever that kind is accepted: in the settings, in environment
 * variables (`config/backend.ts`) and in command arguments (`cli/`). Each rule follows the owner's own
 * definition in full (AWS, Git, Kubernetes, Docker, GitHub), not a pattern that merely looks right, so a
 * value refused at apply time by AWS is refused here first, with the requirement it breaks.
 *
 * A rule says what kind of value it wants (`kind`, e.g. `an S3 bucket name`) and, for a value, the first
 * requirement it breaks (`problem`) or undefined. Every message has one form:
 * `<field>: got <value>, expected <kind> (<requirement broken>)`.
 */
import { parseCidr } from '../cidr';

export interface Rule {
  /** The kind of value, as the message names it: `an S3 bucket name`. */
  readonly kind: string;
  /** The first requirement `value` breaks, as a short clause (`no two adjacent dots`), or undefined. */
  problem(value: string): string | undefined;
}

/** The message for `value` at `field` under `rule`, or undefined when it follows the rule. */
export function ruleMessage(field: string, value: unknown, rule: Rule): string | undefined {
  if (typeof value !== 'string') return `${field}: got ${JSON.stringify(value)}, expected ${rule.kind} (a string)`;
  const problem = rule.problem(value);
  return problem === undefined ? undefined : `${field}: got ${JSON.stringify(value)}, expected ${rule.kind} (${problem})`;
}

const rule = (kind: string, problem: (value: string) => string | undefined): Rule => ({ kind, problem });

// ---- Networks ------------------------------------------------------------------------------------

/** IPv4 CIDR blocks in canonical form (what the EC2 API and the ALB's inbound-cidrs take). */
export const IPV4_CIDR = rule('an IPv4 CIDR such as "10.0.0.0/16"', (text) => {
  if (parseCidr(text)) return undefined;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const prefix = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || prefix > 32 || match.slice(1, 6).some((part) => part.length > 1 && part.startsWith('0'))) {
    return '"a.b.c.d/n": four numbers from 0 to 255 without leading zeros and a prefix from 0 to 32';
  }
  const size = 2 ** (32 - prefix);
  const network = Math.floor(octets.reduce((acc, o) => acc * 256 + o, 0) / size) * size;
  const start = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join('.');
  return `host bits zero: the /${prefix} block holding that address is "${start}/${prefix}"`;
});

// ---- AWS ------------------------------------------------------------------------------------------

/**
 * AWS partitions and the regions each holds: the `regionRegex` of the AWS SDK's endpoint partitions
 * (`@aws-sdk/core` util-endpoints `partitions.json`), lower case only (AWS names no region otherwise).
 */
export const AWS_PARTITIONS: Readonly<Record<string, RegExp>> = {
  aws: /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/,
  'aws-cn': /^cn-[a-z]+-\d+$/,
  'aws-us-gov': /^us-gov-[a-z]+-\d+$/,
  'aws-iso': /^us-iso-[a-z]+-\d+$/,
  'aws-iso-b': /^us-isob-[a-z]+-\d+$/,
  'aws-iso-e': /^eu-isoe-[a-z]+-\d+$/,
  'aws-iso-f': /^us-isof-[a-z]+-\d+$/,
  'aws-eusc': /^eusc-de-[a-z]+-\d+$/,
};

/** The partition a region belongs to, or undefined when no partition has such a region. */
export function partitionOfRegion(region: string): string | undefined {
  return Object.keys(AWS_PARTITIONS).find((partition) => AWS_PARTITIONS[partition].test(region));
}

export const AWS_REGION = rule('an AWS region such as "ap-northeast-2"', (value) =>
  partitionOfRegion(value) === undefined ? '"<area>-<location>-<n>" of an AWS partition, lower case, e.g. "us-east-1", "cn-north-1", "us-gov-west-1"' : undefined,
);

export const AWS_ACCOUNT_ID = rule('an AWS account ID', (value) => (/^\d{12}$/.test(value) ? undefined : 'exactly 12 digits'));

/**
 * S3 general purpose bucket names.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const S3_BUCKET_NAME = rule('an S3 bucket name', (name) => {
  if (name.length < 3 || name.length > 63) return `3 to 63 characters (got ${name.length})`;
  if (!/^[a-z0-9.-]+$/.test(name)) return 'only lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'a letter or digit at the start and at the end';
  if (name.includes('..')) return 'no two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'a name that is not shaped like an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (name.startsWith(prefix)) return `no reserved prefix "${prefix}"`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (name.endsWith(suffix)) return `no reserved suffix "${suffix}"`;
  return undefined;
});

/** The requirement of S3's bucket naming rules `name` breaks, or undefined. */
export const s3BucketNameProblem = (name: string): string | undefined => S3_BUCKET_NAME.problem(name);

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, split; undefined when it is not an ARN. */
function splitArn(text: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const parts = text.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition, service, region, account, ...resource] = parts;
  return { partition, service, region, account, resource: resource.join(':') };
}

const PARTITION_LIST = Object.keys(AWS_PARTITIONS).join(', ');

/**
 * A KMS key by key ARN or alias ARN (what the S3 backend's `kms_key_id` takes). Key IDs are UUIDs or
 * multi-Region `mrk-` + 32 hex digits; alias names are 1-256 of letters, digits, `/`, `_` and `-`, and
 * `alias/aws/` is reserved for AWS managed keys (KMS CreateAlias).
 */
export const KMS_KEY_ARN = rule('a KMS key ARN or alias ARN', (text) => {
  const arn = splitArn(text);
  if (!arn || arn.service !== 'kms') return '"arn:aws:kms:<region>:<account>:key/<key id>" or "arn:aws:kms:<region>:<account>:alias/<name>", not a bare key ID or alias name';
  if (!(arn.partition in AWS_PARTITIONS)) return `a partition of ${PARTITION_LIST}, got "${arn.partition}"`;
  if (!AWS_PARTITIONS[arn.partition].test(arn.region)) return `a region of the ${arn.partition} partition, got "${arn.region}"`;
  if (AWS_ACCOUNT_ID.problem(arn.account)) return `a 12-digit account ID, got "${arn.account}"`;
  if (arn.resource.startsWith('key/')) {
    const id = arn.resource.slice(4);
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) || /^mrk-[0-9a-f]{32}$/.test(id)
      ? undefined
      : `a key ID that is a lower-case UUID or "mrk-" + 32 hex digits, got "${id}"`;
  }
  if (arn.resource.startsWith('alias/')) {
    const name = arn.resource.slice(6);
    if (!/^[A-Za-z0-9/_-]{1,256}$/.test(name)) return 'an alias name of 1-256 letters, digits, "/", "_" and "-"';
    if (arn.resource.startsWith('alias/aws/')) return 'an alias outside "alias/aws/", which AWS reserves for its managed keys';
    return undefined;
  }
  return 'a resource "key/<key id>" or "alias/<name>"';
});

/** The region of a KMS key ARN that follows `KMS_KEY_ARN`. */
export const kmsKeyRegion = (arn: string): string => arn.split(':')[3];

/** IAM RoleName: 1-64 of letters, digits and `+=,.@_-` (IAM API reference, CreateRole). */
export const IAM_ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM Path: `/`, or `/` + printable ASCII (0x21-0x7E) + `/`; at most 512 characters. */
const IAM_PATH = /^(\/|\/[\x21-\x7E]+\/)$/;
const IAM_MAX_PATH_LENGTH = 512;

/** A role named in the settings: its name and, when it was given as one, its ARN and path. */
export interface RolePrincipal {
  readonly name: string;
  readonly arn?: string;
  readonly path?: string;
}

export type RolePrincipalResult = { readonly ok: true; readonly principal: RolePrincipal } | { readonly ok: false; readonly problem: string };

/**
 * A role by name or by ARN `arn:<partition>:iam::<account>:role<path><name>`, whose path may hold the IAM
 * Identity Center prefix `/aws-reserved/sso.amazonaws.com/<region>/`. IAM is global: no region in the ARN.
 */
export function parseRolePrincipal(text: string): RolePrincipalResult {
  if (!text.startsWith('arn:')) {
    return IAM_ROLE_NAME.test(text) ? { ok: true, principal: { name: text } } : { ok: false, problem: 'a role name is 1-64 of letters, digits and +=,.@_-' };
  }
  const arn = splitArn(text);
  if (!arn) return { ok: false, problem: 'an ARN has six ":"-separated parts' };
  if (arn.service === 'sts') return { ok: false, problem: 'a role ARN, not an STS assumed-role (session) ARN' };
  if (arn.service !== 'iam' || !arn.resource.startsWith('role/')) return { ok: false, problem: 'an ARN of the iam service naming a role ("iam::<account>:role/...")' };
  if (!(arn.partition in AWS_PARTITIONS)) return { ok: false, problem: `a partition of ${PARTITION_LIST}, got "${arn.partition}"` };
  if (arn.region !== '') return { ok: false, problem: 'no region: IAM ARNs have "iam::<account>"' };
  if (AWS_ACCOUNT_ID.problem(arn.account)) return { ok: false, problem: `a 12-digit account ID, got "${arn.account}"` };
  const rest = arn.resource.slice('role'.length);
  const slash = rest.lastIndexOf('/');
  const path = rest.slice(0, slash + 1);
  const name = rest.slice(slash + 1);
  if (!IAM_ROLE_NAME.test(name)) return { ok: false, problem: 'the name after the last "/" is 1-64 of letters, digits and +=,.@_-' };
  if (!IAM_PATH.test(path) || path.length > IAM_MAX_PATH_LENGTH) {
    return { ok: false, problem: `a path that starts and ends with "/" and holds at most ${IAM_MAX_PATH_LENGTH} printable ASCII characters` };
  }
  return { ok: true, principal: { name, arn: text, path } };
}

export const IAM_ROLE = rule('an IAM role name or role ARN "arn:aws:iam::<12-digit account>:role/[<path>/]<name>"', (text) => {
  const parsed = parseRolePrincipal(text);
  return parsed.ok ? undefined : parsed.problem;
});

/** Secrets Manager secret names: 1-512 of letters, digits and `/_+=.@-` (CreateSecret). */
export const SECRETS_MANAGER_NAME = rule('a Secrets Manager secret name', (value) =>
  /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(value) ? undefined : '1-512 of letters, digits and /_+=.@-',
);

// ---- EC2, RDS, ElastiCache instance types ---------------------------------------------------------

/** `<family>.<size>`: family such as `t3`, `m7i-flex`, `u-6tb1`; size `nano` ... `48xlarge`, `metal`, `metal-24xl`. */
const INSTANCE_FAMILY = '[a-z][a-z0-9-]*[0-9][a-z0-9-]*';
const INSTANCE_SIZE = '(nano|micro|small|medium|large|([1-9][0-9]*)?xlarge|metal(-[1-9][0-9]*xl)?)';

function instanceTypeRule(kind: string, prefix: string, example: string): Rule {
  const pattern = new RegExp(`^${prefix.replace('.', '\\.')}(?!.*--)${INSTANCE_FAMILY}(?<!-)\\.${INSTANCE_SIZE}$`);
  return rule(kind, (value) => (pattern.test(value) ? undefined : `"${prefix}<family>.<size>" such as "${example}": a family with its generation digit, a size such as large, 2xlarge or metal`));
}

export const EC2_INSTANCE_TYPE = instanceTypeRule('an EC2 instance type', '', 't3.medium');
export const RDS_INSTANCE_CLASS = instanceTypeRule('an RDS instance class', 'db.', 'db.t4g.medium');
export const ELASTICACHE_NODE_TYPE = instanceTypeRule('an ElastiCache node type', 'cache.', 'cache.t4g.small');

// ---- Versions -------------------------------------------------------------------------------------

/** SemVer 2.0 version core: numbers without leading zeros. */
const SEMVER_CORE = '(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)';

/** An exact release version (Helm chart, image tag): no range, no pre-release, no leading zeros (SemVer 2.0). */
export const EXACT_VERSION = rule('an exact version "major.minor.patch"', (value) =>
  new RegExp(`^${SEMVER_CORE}$`).test(value) ? undefined : 'three numbers without leading zeros, e.g. "1.2.3"; no range ("^", "~", ">="), no "v", no pre-release',
);

/** EKS add-on versions: `v<major>.<minor>.<patch>-eksbuild.<build>` (aws eks describe-addon-versions). */
export const EKS_ADDON_VERSION = rule('an EKS add-on version "v<major>.<minor>.<patch>-eksbuild.<n>"', (value) =>
  new RegExp(`^v${SEMVER_CORE}-eksbuild\\.[1-9]\\d*$`).test(value) ? undefined : 'one AWS publishes for the Kubernetes version (aws eks describe-addon-versions), e.g. "v1.22.3-eksbuild.1"',
);

// ---- Git ------------------------------------------------------------------------------------------

/**
 * Branch names by `git check-ref-format --branch` (every rule of git-check-ref-format(1) for
 * `refs/heads/<name>`, one level allowed), plus no `*`/`?`/`[` (refspec patterns are refused too):
 * the branch scopes the CI roles' OIDC trust and the Applications' `targetRevision`.
 */
export const GIT_BRANCH = rule('a Git branch name', (name) => {
  if (name === '') return 'not empty';
  if (name.startsWith('-')) return 'not starting with "-"';
  if (name === 'HEAD') return 'not "HEAD"';
  if (name === '@') return 'not the single character "@"';
  const bad = /[\x00-\x20\x7f~^:?*[\\]/.exec(name);
  if (bad) return `no space, control character, "~", "^", ":", "?", "*", "[" or "\\", got ${JSON.stringify(bad[0])}`;
  if (name.includes('..')) return 'no ".."';
  if (name.includes('@{')) return 'no "@{"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'no "/" at the start or the end, no "//"';
  if (name.endsWith('.')) return 'not ending with "."';
  for (const component of name.split('/')) {
    if (component.startsWith('.')) return `no "/"-separated part starting with ".", got "${component}"`;
    if (component.endsWith('.lock')) return `no "/"-separated part ending with ".lock", got "${component}"`;
  }
  return undefined;
});

// ---- Kubernetes -----------------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes DNS-1123 labels (namespaces, Service names): `IsDNS1123Label` of apimachinery. */
export function dns1123Label(kind: string, maxLength = 63): Rule {
  return rule(kind, (value) => {
    if (value.length < 1 || value.length > maxLength) return `1 to ${maxLength} characters, got ${value.length}`;
    return DNS1123_LABEL.test(value) ? undefined : 'a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  });
}

export const K8S_NAMESPACE = dns1123Label('a Kubernetes namespace');

/** Names of most Kubernetes objects (Secrets, ConfigMaps): `IsDNS1123Subdomain` of apimachinery. */
export const K8S_OBJECT_NAME = rule('a Kubernetes object name', (value) => {
  if (value.length < 1 || value.length > 253) return `1 to 253 characters, got ${value.length}`;
  return DNS1123_SUBDOMAIN.test(value) ? undefined : 'a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each "."-separated part starting and ending with a letter or digit';
});

/** Keys of a Secret's or ConfigMap's data: `IsConfigMapKey` of apimachinery. */
export const K8S_DATA_KEY = rule('a Secret key', (value) => {
  if (value.length < 1 || value.length > 253) return `1 to 253 characters, got ${value.length}`;
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) return 'only letters, digits, "-", "_" and "."';
  if (value === '.' || value === '..' || value.startsWith('..')) return 'not ".", ".." or starting with ".."';
  return undefined;
});

/** Helm chart names (Helm's chart best practices): lower-case letters and digits, words separated by "-". */
export const HELM_CHART_NAME = rule('a Helm chart name', (value) =>
  /^[a-z0-9]+(-[a-z0-9]+)*$/.test(value) ? undefined : 'lower-case letters and digits, words separated by single "-"',
);

// ---- DNS, URLs, e-mail ----------------------------------------------------------------------------

/**
 * Fully qualified host names as Route 53, ACM and Ingress hosts take them (RFC 1123 host names): lower
 * case, 2 or more labels of 1-63 letters, digits and hyphens (no hyphen at either end), at most 253
 * characters, no trailing dot, a top-level label that is not all digits (RFC 3696 section 2).
 */
export function dnsNameProblem(value: string): string | undefined {
  if (value.length < 1 || value.length > 253) return `1 to 253 characters, got ${value.length}`;
  if (value.endsWith('.')) return 'no trailing dot';
  const labels = value.split('.');
  if (labels.length < 2) return 'two or more labels, e.g. "tiketi.com"';
  for (const label of labels) {
    if (label.length < 1 || label.length > 63) return `labels of 1 to 63 characters, got "${label}"`;
    if (!/^[a-z0-9-]+$/.test(label)) return `lower-case letters, digits and "-" only, got "${label}"`;
    if (label.startsWith('-') || label.endsWith('-')) return `no "-" at the start or end of a label, got "${label}"`;
  }
  if (/^\d+$/.test(labels[labels.length - 1])) return 'a top-level label that is not all digits (not an IP address)';
  return undefined;
}

export const DNS_NAME = rule('a DNS name such as "tiketi.com"', dnsNameProblem);

/** `https://<DNS name>[:port]`, nothing else: the form a CSP source list takes for one origin. */
export const HTTPS_ORIGIN = rule('an https origin such as "https://js.tosspayments.com"', (value) => {
  const match = /^https:\/\/([^/:?#]*)(?::(\d{1,5}))?$/.exec(value);
  if (!match) return '"https://" and a host, with no path, query, wildcard or trailing "/"';
  const host = dnsNameProblem(match[1]);
  if (host) return `a host that is a DNS name: ${host}`;
  if (match[2] !== undefined && (Number(match[2]) < 1 || Number(match[2]) > 65535)) return `a port from 1 to 65535, got ${match[2]}`;
  return undefined;
});

/** `https://<DNS name>[/<path>]`: a chart repository. */
export const HTTPS_URL = rule('an https:// URL such as "https://charts.example.com/stable"', (value) => {
  const match = /^https:\/\/([^/:?#]*)((\/[\w.~-]+)*)\/?$/.exec(value);
  if (!match) return '"https://", a host and an optional path of letters, digits, ".", "_", "~" and "-"; no query, port or credentials';
  const host = dnsNameProblem(match[1]);
  return host ? `a host that is a DNS name: ${host}` : undefined;
});

/**
 * E-mail addresses (RFC 5321/5322 dot-atom form, what SNS and AWS Budgets deliver to): a local part of
 * at most 64 characters, a domain that is a DNS name, at most 254 characters in all.
 */
export const EMAIL = rule('an e-mail address such as "alerts@tiketi.com"', (value) => {
  if (value.length > 254) return `at most 254 characters, got ${value.length}`;
  const at = value.lastIndexOf('@');
  if (at < 1) return 'a local part, "@" and a domain';
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return `a local part of at most 64 characters, got ${local.length}`;
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(local)) {
    return `a local part of letters, digits and !#$%&'*+/=?^_\`{|}~- in "."-separated words (no leading, trailing or double "."), got "${local}"`;
  }
  const problem = dnsNameProblem(domain.toLowerCase());
  return problem ? `a domain that is a DNS name: ${problem}` : undefined;
});

// ---- Images ---------------------------------------------------------------------------------------

/** Docker image tags (distribution reference grammar): 1-128 of letters, digits, `_`, `.`, `-`, not starting with `.` or `-`. */
export const IMAGE_TAG = rule('an image tag', (value) =>
  /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(value) ? undefined : '1-128 letters, digits, "_", "." and "-", not starting with "." or "-"',
);

/**
 * An image reference pinned to a release: `<registry host>[:port]/<path>:<major.minor.patch>` by the
 * distribution reference grammar (path components of lower-case letters and digits separated by `.`, `_`,
 * `__` or dashes; name at most 255 characters).
 */
export const PINNED_IMAGE = rule('an image with an exact x.y.z tag, e.g. "cr.fluentbit.io/fluent/fluent-bit:5.1.1"', (value) => {
  const colon = value.lastIndexOf(':');
  const slash = value.indexOf('/');
  if (slash < 0 || colon < slash) return 'a registry host, a path and a ":<tag>"';
  const [host, ...path] = value.slice(0, colon).split('/');
  const tag = value.slice(colon + 1);
  if (!/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:\d+)?$/.test(host)) return `a registry host such as "cr.fluentbit.io", got "${host}"`;
  const component = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*$/;
  const bad = path.find((part) => !component.test(part));
  if (bad !== undefined) return `path components of lower-case letters and digits separated by ".", "_", "__" or "-", got "${bad}"`;
  if (value.slice(0, colon).length > 255) return 'a name of at most 255 characters';
  return EXACT_VERSION.problem(tag) === undefined ? undefined : `an exact tag "major.minor.patch" (no "latest", no range), got "${tag}"`;
});

// ---- GitHub, Slack --------------------------------------------------------------------------------

/** GitHub user and organization logins: 1-39 letters, digits and single hyphens, no hyphen at either end. */
export const GITHUB_LOGIN = rule('a GitHub owner or organization login', (value) =>
  /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/.test(value) ? undefined : '1-39 letters, digits and single hyphens, not starting or ending with "-"',
);

/** GitHub repository names: 1-100 of letters, digits, `-`, `_`, `.`; not `.`, `..` or ending in `.git`. */
export const GITHUB_REPOSITORY = rule('a GitHub repository name', (value) => {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(value)) return '1-100 letters, digits, "-", "_" and "."';
  if (value === '.' || value === '..' || value.toLowerCase().endsWith('.git')) return 'not ".", ".." or ending in ".git"';
  return undefined;
});

/** GitHub environment names as the OIDC `sub` claim carries them: 1-255 characters, no wildcards, no ":". */
export const GITHUB_ENVIRONMENT = rule('a GitHub environment name', (value) =>
  /^[A-Za-z0-9_.-]{1,255}$/.test(value) ? undefined : '1-255 letters, digits, "-", "_" and "."; no wildcard or ":", the OIDC subject matches it exactly',
);

/** Slack channel names (Slack's rule): lower-case letters, digits, `-` and `_`, at most 80 characters, no `#`. */
export const SLACK_CHANNEL = rule('a Slack channel name without "#"', (value) =>
  /^[a-z0-9_-]{1,80}$/.test(value) ? undefined : 'at most 80 lower-case letters, digits, "-" and "_"',
);
