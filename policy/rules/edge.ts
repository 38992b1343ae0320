/**
 * FSBP controls for the edge: Amazon CloudFront distributions, ACM certificates and AWS WAF web ACLs.
 * CloudFront.1 and CloudFront.13 concern S3 origins only, as in Security Hub.
 */
import { StackDocument, blocks, isTrue } from '../document';
import { Element, Rule, notApplicable } from '../types';

const ALL = 'all';
const DISTRIBUTIONS = ['aws_cloudfront_distribution'];

/** A CloudFront origin that is an S3 REST endpoint (website endpoints are custom origins). */
function isS3Origin(doc: StackDocument, origin: Record<string, any>): boolean {
  const ref = doc.deref(origin.domain_name);
  if (ref) return ref.element.type === 'aws_s3_bucket' && ['bucket_regional_domain_name', 'bucket_domain_name'].includes(ref.attribute);
  return typeof origin.domain_name === 'string' && /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(origin.domain_name) && !origin.domain_name.includes('s3-website');
}

const s3Origins = (doc: StackDocument, distribution: Element) => blocks(distribution.config.origin).filter((o) => isS3Origin(doc, o));

/** The distribution's viewer certificate, if it is a custom (ACM or IAM) one. */
function customCertificate(distribution: Element): Record<string, any> | undefined {
  const certificate = blocks(distribution.config.viewer_certificate)[0];
  if (!certificate || isTrue(certificate.cloudfront_default_certificate)) return undefined;
  return certificate.acm_certificate_arn || certificate.iam_certificate_id ? certificate : undefined;
}

export const EDGE_RULES: readonly Rule[] = [
  {
    control: 'CloudFront.1',
    source: 'FSBP',
    title: 'CloudFront distributions should have a default root object configured',
    checks: 'a distribution with an S3 origin sets default_root_object (distributions with custom origins only are not applicable)',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'set default_root_object = "index.html"',
    evaluate(distribution, { doc }) {
      if (s3Origins(doc, distribution).length === 0) return notApplicable('no S3 origin');
      return distribution.config.default_root_object ? undefined : 'default_root_object is not set: a request for "/" lists or errors instead of serving the site';
    },
  },
  {
    control: 'CloudFront.3',
    source: 'FSBP',
    title: 'CloudFront distributions should require encryption in transit',
    checks: 'no cache behavior (default or ordered) has viewer_protocol_policy "allow-all"',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'set viewer_protocol_policy = "redirect-to-https" (or "https-only") on every cache behavior',
    evaluate(distribution) {
      const behaviors: Record<string, any>[] = [...blocks(distribution.config.default_cache_behavior).map((b) => ({ ...b, path_pattern: 'default' })), ...blocks(distribution.config.ordered_cache_behavior)];
      const open = behaviors.filter((b) => b.viewer_protocol_policy === 'allow-all').map((b) => b.path_pattern);
      return open.length > 0 ? `viewer_protocol_policy is "allow-all" for ${open.join(', ')}` : undefined;
    },
  },
  {
    control: 'CloudFront.6',
    source: 'FSBP',
    title: 'CloudFront distributions should have WAF enabled',
    checks: 'web_acl_id is set (a WAFv2 web ACL of scope CLOUDFRONT)',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'set web_acl_id to the edge stack\'s CloudFront web ACL ARN',
    evaluate: (distribution) => (distribution.config.web_acl_id ? undefined : 'web_acl_id is not set'),
  },
  {
    control: 'CloudFront.7',
    source: 'FSBP',
    title: 'CloudFront distributions should use custom SSL/TLS certificates',
    checks: 'viewer_certificate names an ACM (acm_certificate_arn) or IAM certificate instead of cloudfront_default_certificate',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'use the us-east-1 ACM certificate of the frontend domain in viewer_certificate',
    evaluate: (distribution) => (customCertificate(distribution) ? undefined : 'viewer_certificate uses the default *.cloudfront.net certificate'),
  },
  {
    control: 'CloudFront.8',
    source: 'FSBP',
    title: 'CloudFront distributions should use SNI to serve HTTPS requests',
    checks: 'with a custom certificate, viewer_certificate.ssl_support_method is "sni-only" (not a dedicated IP, "vip" or "static-ip")',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'set ssl_support_method = "sni-only"',
    evaluate(distribution) {
      const certificate = customCertificate(distribution);
      if (!certificate) return notApplicable('no custom certificate');
      return certificate.ssl_support_method === 'sni-only' ? undefined : `ssl_support_method is ${JSON.stringify(certificate.ssl_support_method ?? 'unset')}, not "sni-only"`;
    },
  },
  {
    control: 'CloudFront.13',
    source: 'FSBP',
    title: 'CloudFront distributions should use origin access control',
    checks: 'every S3 origin sets origin_access_control_id (an origin access identity or a public bucket fails)',
    targets: DISTRIBUTIONS,
    environments: ALL,
    fix: 'give the S3 origin an aws_cloudfront_origin_access_control (signing "always", sigv4) and let only the distribution read the bucket',
    evaluate(distribution, { doc }) {
      const origins = s3Origins(doc, distribution);
      if (origins.length === 0) return notApplicable('no S3 origin');
      const without = origins.filter((o) => !o.origin_access_control_id).map((o) => o.origin_id);
      return without.length > 0 ? `S3 origin ${without.join(', ')} has no origin_access_control_id` : undefined;
    },
  },
  {
    control: 'ACM.2',
    source: 'FSBP',
    title: 'RSA certificates managed by ACM should use a key length of at least 2,048 bits',
    checks: 'key_algorithm of an ACM-issued certificate is not RSA_1024 (the default is RSA_2048; EC keys and imported certificates are not applicable)',
    targets: ['aws_acm_certificate'],
    environments: ALL,
    fix: 'set key_algorithm = "RSA_2048" (or an EC key)',
    evaluate(certificate) {
      if (certificate.config.private_key !== undefined) return notApplicable('an imported certificate');
      const algorithm = String(certificate.config.key_algorithm ?? 'RSA_2048');
      if (!algorithm.startsWith('RSA_')) return notApplicable(`${algorithm} is not an RSA key`);
      return Number(algorithm.slice(4)) >= 2048 ? undefined : `key_algorithm is ${algorithm}`;
    },
  },
  {
    control: 'WAF.10',
    source: 'FSBP',
    title: 'AWS WAF web ACLs should have at least one rule or rule group',
    checks: 'every aws_wafv2_web_acl has at least one rule block',
    targets: ['aws_wafv2_web_acl'],
    environments: ALL,
    fix: 'add managed rule groups (IP reputation, common rules, known bad inputs) and a rate rule (the WebAcl module does)',
    evaluate: (acl) => (blocks(acl.config.rule).length > 0 ? undefined : 'the web ACL has no rules: it only applies its default action'),
  },
];
