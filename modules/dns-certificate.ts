import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';

export interface DnsValidatedCertificateProps {
  /** The one name the certificate covers, e.g. `api.tiketi.com`. */
  readonly domainName: string;
  /** Public hosted zone that holds `domainName`; the validation record goes there. */
  readonly zoneId: string;
  /**
   * Provider of the certificate and its validation: CloudFront needs a us-east-1 certificate.
   * Route53 is global, so the validation record always uses the stack's default provider.
   * @default - the stack's default provider (its region)
   */
  readonly provider?: TerraformProvider;
}

/**
 * A public ACM certificate for one domain, validated through a Route53 CNAME. `certificateArn` comes from
 * the validation resource, so whatever uses it waits until the certificate is issued.
 * RSA 2048 (ACM.2 asks for 2048 bits or more); ACM renews it while the CNAME stays in place (ACM.1).
 */
export class DnsValidatedCertificate extends Construct {
  /** ARN of the issued (validated) certificate. */
  public readonly certificateArn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const certificate = new AcmCertificate(this, 'certificate', {
      provider: props.provider,
      domainName: props.domainName,
      validationMethod: 'DNS',
      keyAlgorithm: 'RSA_2048',
      // A replacement is issued before the old one is detached from CloudFront or the ALB.
      lifecycle: { createBeforeDestroy: true },
    });
    // Exactly one domain, so exactly one validation option: no iterator needed.
    const option = certificate.domainValidationOptions.get(0);
    const record = new Route53Record(this, 'validation-record', {
      zoneId: props.zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      // The record is a pure function of the certificate's key; re-creating the certificate rewrites it.
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, 'validation', {
      provider: props.provider,
      certificateArn: certificate.arn,
      validationRecordFqdns: [record.fqdn],
    });
    this.certificateArn = validation.certificateArn;
  }
}
