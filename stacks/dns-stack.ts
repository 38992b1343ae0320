import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { BackendSettings } from '../config/backend';
import { DnsSettings } from '../config/settings';
import { PublicHostedZone } from '../modules/hosted-zone';
import { TiketiStack } from './tiketi-stack';

export interface DnsStackProps {
  readonly dns: DnsSettings;
  readonly backend: BackendSettings;
}

/**
 * Account-wide, deployed once before any `edge`: the public hosted zone every environment's records and
 * certificate validations go into, on a reusable delegation set. Its `name_servers` output is what the
 * registrar must delegate to; until `dig NS <zone>` returns them, ACM cannot validate any certificate in
 * the zone (README, "Deploy"). Every `edge` looks the zone up by name and never creates it.
 */
export class DnsStack extends TiketiStack {
  public readonly zone: PublicHostedZone;

  constructor(scope: Construct, props: DnsStackProps) {
    super(scope, 'dns', { scopeName: 'account', region: props.dns.region, backend: props.backend });
    this.zone = new PublicHostedZone(this, 'zone', { zoneName: props.dns.zoneName });

    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId, description: 'Route53 hosted zone ID' });
    new TerraformOutput(this, 'zone_name', { value: this.zone.zoneName, description: 'Name of the public zone' });
    new TerraformOutput(this, 'name_servers', {
      value: this.zone.nameServers,
      description: 'Set these four as the name servers of the domain at the registrar, then wait until `dig NS <zone> +short` returns them',
    });
    new TerraformOutput(this, 'delegation_set_id', { value: this.zone.delegationSetId ?? '', description: 'Reusable delegation set the zone was created on' });
  }
}
