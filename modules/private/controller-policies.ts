/** Least-privilege identity policies of the in-cluster controllers whose policies AWS does not manage. */

/**
 * external-dns: change records only for the environment's DNS names. The environments share one hosted
 * zone (`tiketi.com`), so scoping by zone would let dev's external-dns rewrite prod's API record; the
 * `route53:ChangeResourceRecordSetsNormalizedRecordNames` condition scopes by record name instead.
 * `recordNames` are exact names; each also admits its subdomains and the TXT ownership records
 * external-dns writes next to it (`<type>-<name>` with the default TXT format).
 */
export function externalDnsPolicy(recordNames: readonly string[], hostedZoneArns: readonly string[] = ['arn:aws:route53:::hostedzone/*']) {
  const names = recordNames.flatMap((name) => [name, `*.${name}`, `*-${name}`]);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ChangeOnlyThisEnvironmentsRecords',
        Effect: 'Allow',
        Action: ['route53:ChangeResourceRecordSets'],
        Resource: [...hostedZoneArns],
        Condition: {
          'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': names },
          'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['A', 'AAAA', 'CNAME', 'TXT'] },
        },
      },
      {
        Sid: 'ReadZones',
        Effect: 'Allow',
        Action: ['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources', 'route53:GetChange'],
        Resource: '*',
      },
    ],
  };
}

/**
 * Cluster Autoscaler: scale and terminate only the Auto Scaling groups EKS tagged as owned by this
 * cluster (managed node groups carry `k8s.io/cluster-autoscaler/<cluster>=owned`); the describe calls
 * have no resource-level permissions. From the upstream cluster-autoscaler AWS README ("Full Cluster
 * Autoscaler Features Policy" minus launch-template writes it does not need with managed node groups).
 */
export function clusterAutoscalerPolicy(clusterName: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ScaleOwnNodeGroupsOnly',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' } },
      },
      {
        Sid: 'DiscoverNodeGroups',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: '*',
      },
      {
        Sid: 'ReadOwnManagedNodeGroups',
        Effect: 'Allow',
        Action: ['eks:DescribeNodegroup'],
        Resource: `arn:aws:eks:*:*:nodegroup/${clusterName}/*`,
      },
    ],
  };
}
