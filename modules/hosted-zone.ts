import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53DelegationSet } from '@cdktf/provider-aws/lib/route53-delegation-set';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { Construct } from 'constructs';

export interface PublicHostedZoneProps {
  /** The public zone, e.g. `tiketi.com`. */
  readonly zoneName: string;
  /**
   * Create the zone on a reusable delegation set of its own, so that a zone re-created after a deletion gets
   * the same four name servers and the registrar's delegation stays valid. Route53 can attach a zone to a
   * delegation set only when the zone is created, so this is decided on the first apply.
   * @default true
   */
  readonly reusableDelegationSet?: boolean;
  /**
   * Refuse `terraform destroy` of the zone (and of its delegation set): the registrar delegates to its name
   * servers, and every certificate of every environment validates through it.
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/**
 * A public Route53 hosted zone, created once per account (the `dns` stack). `nameServers` are what the
 * registrar must delegate to before anything validates a certificate in the zone.
 */
export class PublicHostedZone extends Construct {
  public readonly zoneId: string;
  public readonly zoneName: string;
  /** The four name servers to set at the registrar. */
  public readonly nameServers: string[];
  /** ID of the reusable delegation set (undefined without one). */
  public readonly delegationSetId?: string;

  constructor(scope: Construct, id: string, props: PublicHostedZoneProps) {
    super(scope, id);
    const preventDestroy = props.preventDestroy ?? true;
    const delegationSet =
      (props.reusableDelegationSet ?? true)
        ? new Route53DelegationSet(this, 'delegation-set', {
            // Only a caller-reference prefix: Route53 identifies the set by its ID.
            referenceName: props.zoneName.replace(/\./g, '-'),
            lifecycle: { preventDestroy },
          })
        : undefined;
    const zone = new Route53Zone(this, 'zone', {
      name: props.zoneName,
      comment: `Public zone of ${props.zoneName}; managed by the tiketi dns stack`,
      delegationSetId: delegationSet?.id,
      // Records of every environment live here; destroying the zone must never delete them implicitly.
      forceDestroy: false,
      lifecycle: { preventDestroy },
    });
    this.zoneId = zone.zoneId;
    this.zoneName = zone.name;
    this.nameServers = delegationSet ? delegationSet.nameServers : zone.nameServers;
    this.delegationSetId = delegationSet?.id;
  }
}

export interface HostedZoneLookupProps {
  /** Name of an existing public zone of this account, e.g. `tiketi.com`. */
  readonly zoneName: string;
}

/**
 * An existing public hosted zone, looked up by name at plan time: a missing zone (the `dns` stack not yet
 * applied) fails the plan, before any certificate waits on it.
 */
export class HostedZoneLookup extends Construct {
  public readonly zoneId: string;
  public readonly zoneName: string;

  constructor(scope: Construct, id: string, props: HostedZoneLookupProps) {
    super(scope, id);
    const zone = new DataAwsRoute53Zone(this, 'lookup', { name: props.zoneName, privateZone: false });
    this.zoneId = zone.zoneId;
    this.zoneName = zone.name;
  }
}
