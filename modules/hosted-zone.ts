import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Construct } from 'constructs';

export interface HostedZoneProps {
  /** The public zone, e.g. `tiketi.com`. */
  readonly zoneName: string;
  /**
   * Create the zone here (true) or look up an existing public zone of that name (false).
   * One environment owns a zone shared by the others; the owner must be deployed first.
   */
  readonly create: boolean;
  /**
   * Refuse `terraform destroy` of a created zone: a new zone gets new name servers, and the registrar's
   * delegation would point at the old ones.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** A public Route53 hosted zone, created or looked up; exposes its ID and name either way. */
export class HostedZone extends Construct {
  public readonly zoneId: string;
  public readonly zoneName: string;
  /** Name servers to delegate to at the registrar (created zones only). */
  public readonly nameServers?: string[];

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    if (props.create) {
      const zone = new Route53Zone(this, 'zone', {
        name: props.zoneName,
        comment: `Public zone of ${props.zoneName}; managed by the tiketi edge stack`,
        forceDestroy: false,
        lifecycle: { preventDestroy: props.preventDestroy ?? true },
      });
      this.zoneId = zone.zoneId;
      this.zoneName = zone.name;
      this.nameServers = zone.nameServers;
    } else {
      const zone = new DataAwsRoute53Zone(this, 'lookup', { name: props.zoneName, privateZone: false });
      this.zoneId = zone.zoneId;
      this.zoneName = zone.name;
    }
  }
}
