import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, Testing } from 'cdktf';
import { DnsValidatedCertificate } from '../../modules/dns-certificate';
import { HostedZoneLookup, PublicHostedZone } from '../../modules/hosted-zone';

function synthCertificate(withUsEast1: boolean): any {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const provider = withUsEast1 ? new AwsProvider(scope, 'east', { region: 'us-east-1', alias: 'us_east_1' }) : undefined;
      new DnsValidatedCertificate(scope, 'cert', { domainName: 'api.tiketi.com', zoneId: 'Z123', provider });
    }),
  );
}

describe('DnsValidatedCertificate', () => {
  test('requests a DNS-validated RSA 2048 certificate for the one domain, replaced before destroyed', () => {
    const cert = Object.values<any>(synthCertificate(false).resource.aws_acm_certificate)[0];
    expect(cert).toMatchObject({ domain_name: 'api.tiketi.com', validation_method: 'DNS', key_algorithm: 'RSA_2048' });
    expect(cert.subject_alternative_names).toBeUndefined();
    expect(cert.lifecycle.create_before_destroy).toBe(true);
  });

  test('writes the validation CNAME from the certificate into the zone and waits for issuance', () => {
    const json = synthCertificate(false);
    const certId = Object.keys(json.resource.aws_acm_certificate)[0];
    const record = Object.values<any>(json.resource.aws_route53_record)[0];
    expect(record.zone_id).toBe('Z123');
    expect(record.name).toBe(`\${tolist(aws_acm_certificate.${certId}.domain_validation_options).0.resource_record_name}`);
    expect(record.records).toEqual([`\${tolist(aws_acm_certificate.${certId}.domain_validation_options).0.resource_record_value}`]);
    const validation = Object.values<any>(json.resource.aws_acm_certificate_validation)[0];
    expect(validation.certificate_arn).toBe(`\${aws_acm_certificate.${certId}.arn}`);
    expect(validation.validation_record_fqdns[0]).toMatch(/aws_route53_record\..*\.fqdn/);
  });

  test('the certificate and its validation use the provider passed in; the Route53 record the default one', () => {
    const json = synthCertificate(true);
    expect(Object.values<any>(json.resource.aws_acm_certificate)[0].provider).toBe('aws.us_east_1');
    expect(Object.values<any>(json.resource.aws_acm_certificate_validation)[0].provider).toBe('aws.us_east_1');
    expect(Object.values<any>(json.resource.aws_route53_record)[0].provider).toBeUndefined();
  });
});

describe('PublicHostedZone', () => {
  const synthZone = (props: { reusableDelegationSet?: boolean; preventDestroy?: boolean } = {}) =>
    JSON.parse(Testing.synthScope((scope) => new PublicHostedZone(scope, 'zone', { zoneName: 'tiketi.com', ...props })));

  test('creates a public zone on its own reusable delegation set; both refuse terraform destroy', () => {
    const json = synthZone();
    const zone = Object.values<any>(json.resource.aws_route53_zone)[0];
    const [setId, set] = Object.entries<any>(json.resource.aws_route53_delegation_set)[0];
    expect(zone).toMatchObject({ name: 'tiketi.com', force_destroy: false, delegation_set_id: `\${aws_route53_delegation_set.${setId}.id}`, lifecycle: { prevent_destroy: true } });
    expect(set.lifecycle.prevent_destroy).toBe(true);
    // A private zone would have a VPC association; this one is public.
    expect(zone.vpc).toBeUndefined();
    expect(json.data).toBeUndefined();
  });

  test('the name servers to delegate to are the delegation set\'s (the same for any zone re-created on it)', () => {
    const scopeJson = Testing.synthScope((scope) => {
      const zone = new PublicHostedZone(scope, 'zone', { zoneName: 'tiketi.com' });
      new TerraformOutput(scope, 'ns', { value: zone.nameServers });
    });
    const json = JSON.parse(scopeJson);
    const setId = Object.keys(json.resource.aws_route53_delegation_set)[0];
    expect(json.output.ns.value).toBe(`\${aws_route53_delegation_set.${setId}.name_servers}`);
  });

  test('reusableDelegationSet: false creates the zone alone, with its own name servers', () => {
    const json = synthZone({ reusableDelegationSet: false });
    expect(json.resource.aws_route53_delegation_set).toBeUndefined();
    expect(Object.values<any>(json.resource.aws_route53_zone)[0].delegation_set_id).toBeUndefined();
  });

  test('preventDestroy: false lets a disposable zone (and its set) be deleted', () => {
    const json = synthZone({ preventDestroy: false });
    expect(Object.values<any>(json.resource.aws_route53_zone)[0].lifecycle.prevent_destroy).toBe(false);
    expect(Object.values<any>(json.resource.aws_route53_delegation_set)[0].lifecycle.prevent_destroy).toBe(false);
  });
});

describe('HostedZoneLookup', () => {
  test('looks the public zone up by name and creates nothing', () => {
    const json = JSON.parse(Testing.synthScope((scope) => new HostedZoneLookup(scope, 'zone', { zoneName: 'tiketi.com' })));
    expect(json.resource).toBeUndefined();
    expect(Object.values<any>(json.data.aws_route53_zone)[0]).toEqual(expect.objectContaining({ name: 'tiketi.com', private_zone: false }));
  });
});
