import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import { DnsValidatedCertificate } from '../../modules/dns-certificate';
import { HostedZone } from '../../modules/hosted-zone';

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

describe('HostedZone', () => {
  const synthZone = (create: boolean, preventDestroy?: boolean) =>
    JSON.parse(Testing.synthScope((scope) => new HostedZone(scope, 'zone', { zoneName: 'tiketi.com', create, preventDestroy })));

  test('create: true creates a public zone that refuses terraform destroy', () => {
    const json = synthZone(true);
    const zone = Object.values<any>(json.resource.aws_route53_zone)[0];
    expect(zone).toMatchObject({ name: 'tiketi.com', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(zone.vpc).toBeUndefined();
    expect(json.data).toBeUndefined();
  });

  test('create: false looks the public zone up instead', () => {
    const json = synthZone(false);
    expect(json.resource).toBeUndefined();
    expect(Object.values<any>(json.data.aws_route53_zone)[0]).toEqual(expect.objectContaining({ name: 'tiketi.com', private_zone: false }));
  });

  test('preventDestroy: false lets a disposable environment delete its zone', () => {
    expect(Object.values<any>(synthZone(true, false).resource.aws_route53_zone)[0].lifecycle.prevent_destroy).toBe(false);
  });
});
