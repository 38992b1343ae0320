import { Testing } from 'cdktf';
import { Route } from '@cdktf/provider-aws/lib/route';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Vpc, VpcProps } from '../../modules/vpc';

const BASE: VpcProps = {
  namePrefix: 'tiketi-test',
  cidr: '10.0.0.0/16',
  availabilityZones: ['ap-northeast-2a', 'ap-northeast-2c'],
  publicSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
  privateSubnetCidrs: ['10.0.11.0/24', '10.0.12.0/24'],
  databaseSubnetCidrs: ['10.0.21.0/24', '10.0.22.0/24'],
};

function synthText(props: Partial<VpcProps> = {}): string {
  return Testing.synthScope((scope) => new Vpc(scope, 'vpc', { ...BASE, ...props }));
}

function synthVpc(props: Partial<VpcProps> = {}): any {
  return JSON.parse(synthText(props));
}

/** Maps each route table's logical ID to the subnet tiers/AZs associated with it. */
function subnetsByRouteTable(json: any): Record<string, string[]> {
  const subnetName = (ref: string) => ref.match(/aws_subnet\.([^.]+)\.id/)![1];
  const tables: Record<string, string[]> = {};
  for (const assoc of Object.values<any>(json.resource.aws_route_table_association)) {
    const table = assoc.route_table_id.match(/aws_route_table\.([^.]+)\.id/)[1];
    (tables[table] ??= []).push(subnetName(assoc.subnet_id));
  }
  return tables;
}

describe('Vpc', () => {
  test('creates one subnet per tier and AZ, none assigning public IPs', () => {
    const json = synthVpc();
    const subnets = Object.values<any>(json.resource.aws_subnet);
    expect(subnets).toHaveLength(6);
    expect(subnets.map((s) => s.cidr_block).sort()).toEqual([...BASE.publicSubnetCidrs, ...BASE.privateSubnetCidrs, ...BASE.databaseSubnetCidrs].sort());
    expect(subnets.every((s) => s.map_public_ip_on_launch === false)).toBe(true);
    for (const az of BASE.availabilityZones) expect(subnets.filter((s) => s.availability_zone === az)).toHaveLength(3);
  });

  test('tags subnets for internet-facing and internal load balancers', () => {
    const subnets = Object.values<any>(synthVpc({ privateSubnetTags: { 'kubernetes.io/cluster/x': 'shared' } }).resource.aws_subnet);
    const byTier = (tier: string) => subnets.filter((s) => s.tags.Tier === tier);
    expect(byTier('public').every((s) => s.tags['kubernetes.io/role/elb'] === '1')).toBe(true);
    expect(byTier('private').every((s) => s.tags['kubernetes.io/role/internal-elb'] === '1' && s.tags['kubernetes.io/cluster/x'] === 'shared')).toBe(true);
    expect(byTier('database').some((s) => 'kubernetes.io/role/elb' in s.tags || 'kubernetes.io/role/internal-elb' in s.tags)).toBe(false);
  });

  test('the default security group is managed with no rules', () => {
    expect(synthText()).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  test('one NAT per AZ: each private route table uses the NAT gateway of its own AZ', () => {
    const json = synthVpc({ natGateways: 'one-per-az' });
    const nats = json.resource.aws_nat_gateway;
    expect(Object.keys(nats)).toHaveLength(2);
    const natAz: Record<string, string> = {};
    for (const [id, nat] of Object.entries<any>(nats)) {
      const subnet = nat.subnet_id.match(/aws_subnet\.([^.]+)\.id/)[1];
      natAz[id] = json.resource.aws_subnet[subnet].availability_zone;
    }
    const tables = subnetsByRouteTable(json);
    for (const route of Object.values<any>(json.resource.aws_route).filter((r) => r.nat_gateway_id)) {
      const table = route.route_table_id.match(/aws_route_table\.([^.]+)\.id/)[1];
      const nat = route.nat_gateway_id.match(/aws_nat_gateway\.([^.]+)\.id/)[1];
      const subnetAzs = tables[table].map((s) => json.resource.aws_subnet[s].availability_zone);
      expect(subnetAzs).toEqual([natAz[nat]]);
    }
  });

  test('a single NAT is shared by every private route table', () => {
    const json = synthVpc({ natGateways: 'single' });
    expect(Object.keys(json.resource.aws_nat_gateway)).toHaveLength(1);
    const natRoutes = Object.values<any>(json.resource.aws_route).filter((r) => r.nat_gateway_id);
    expect(natRoutes).toHaveLength(2);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id)).size).toBe(1);
  });

  test('database subnets have a route table with no routes at all', () => {
    const json = synthVpc();
    const tables = subnetsByRouteTable(json);
    const databaseTables = Object.entries(tables).filter(([, subnets]) => subnets.every((s) => json.resource.aws_subnet[s].tags.Tier === 'database'));
    expect(databaseTables).toHaveLength(1);
    const [tableId] = databaseTables[0];
    const routesOfTable = Object.values<any>(json.resource.aws_route).filter((r) => r.route_table_id.includes(`aws_route_table.${tableId}.`));
    expect(routesOfTable).toEqual([]);
    expect(json.resource.aws_route_table[tableId].route).toBeUndefined();
  });

  test('public subnets route to the internet gateway', () => {
    expect(synthText()).toHaveResourceWithProperties(Route, { destination_cidr_block: '0.0.0.0/0', gateway_id: expect.stringContaining('aws_internet_gateway.') });
  });

  test('subnet groups span the database subnets', () => {
    const json = synthVpc();
    const dbGroup = Object.values<any>(json.resource.aws_db_subnet_group)[0];
    const cacheGroup = Object.values<any>(json.resource.aws_elasticache_subnet_group)[0];
    const databaseSubnetRefs = Object.entries<any>(json.resource.aws_subnet)
      .filter(([, s]) => s.tags.Tier === 'database')
      .map(([id]) => `\${aws_subnet.${id}.id}`);
    expect([...dbGroup.subnet_ids].sort()).toEqual(databaseSubnetRefs.sort());
    expect([...cacheGroup.subnet_ids].sort()).toEqual(databaseSubnetRefs.sort());
  });
});
