/**
 * Resource types that cost nothing by themselves, each with the reason. A type is free only when it is
 * listed here: any other type without a pricer is reported UNPRICED, never as zero. Keep a type out of
 * this list when any of its settings can make it billable (give it a pricer instead, e.g. S3 gateway vs
 * interface endpoints, Standard vs Advanced SSM parameters).
 */
const CONFIG_OF_A_BUCKET = 'configuration of a bucket; the bytes stored are priced on the aws_s3_bucket';
const NETWORK_PLUMBING = 'VPC plumbing: no charge (data transfer is not modelled)';
const IAM = 'IAM has no charge';
const RULES = 'security groups and their rules have no charge';
const KUBERNETES_OBJECT = 'a Kubernetes API object: no AWS charge';
const DATA_CONFIG = 'configuration of a database or cache: no charge of its own';

export const FREE_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  aws_acm_certificate: 'public ACM certificates are free',
  aws_acm_certificate_validation: 'a Terraform wait for validation, not an AWS resource',
  aws_cloudfront_cache_policy: 'CloudFront policies have no charge',
  aws_cloudfront_origin_access_control: 'CloudFront origin access control has no charge',
  aws_cloudfront_response_headers_policy: 'CloudFront policies have no charge',
  aws_cloudwatch_log_resource_policy: 'a resource policy: no charge',
  aws_db_parameter_group: DATA_CONFIG,
  aws_db_subnet_group: DATA_CONFIG,
  aws_default_network_acl: NETWORK_PLUMBING,
  aws_default_route_table: NETWORK_PLUMBING,
  aws_default_security_group: RULES,
  aws_ecr_lifecycle_policy: 'a repository policy: no charge',
  aws_ecr_repository_policy: 'a repository policy: no charge',
  aws_eks_access_entry: 'EKS access entries have no charge',
  aws_eks_access_policy_association: 'EKS access entries have no charge',
  aws_eks_addon: 'EKS add-ons have no charge; their pods run on the node groups (priced there)',
  aws_eks_pod_identity_association: 'EKS Pod Identity has no charge',
  aws_elasticache_parameter_group: DATA_CONFIG,
  aws_elasticache_subnet_group: DATA_CONFIG,
  aws_elasticache_user: DATA_CONFIG,
  aws_elasticache_user_group: DATA_CONFIG,
  aws_iam_instance_profile: IAM,
  aws_iam_openid_connect_provider: IAM,
  aws_iam_policy: IAM,
  aws_iam_role: IAM,
  aws_iam_role_policy: IAM,
  aws_iam_role_policy_attachment: IAM,
  aws_internet_gateway: 'no hourly charge; internet data transfer out is not modelled',
  aws_kms_alias: 'aliases have no charge; the key is priced on aws_kms_key',
  aws_launch_template: 'no charge; the volumes it declares are priced with the node group or instance using it',
  aws_route: NETWORK_PLUMBING,
  aws_route_table: NETWORK_PLUMBING,
  aws_route_table_association: NETWORK_PLUMBING,
  aws_route53_record: 'records are free; alias queries (CloudFront, ALB) are free, other queries ($0.40 per 1M) are not modelled',
  aws_s3_bucket_acl: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_lifecycle_configuration: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_ownership_controls: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_policy: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_public_access_block: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_server_side_encryption_configuration: CONFIG_OF_A_BUCKET,
  aws_s3_bucket_versioning: CONFIG_OF_A_BUCKET,
  aws_security_group: RULES,
  aws_security_group_rule: RULES,
  aws_subnet: NETWORK_PLUMBING,
  aws_vpc: NETWORK_PLUMBING,
  aws_vpc_security_group_egress_rule: RULES,
  aws_vpc_security_group_ingress_rule: RULES,
  aws_wafv2_web_acl_association: 'an association: no charge (the web ACL is priced)',
  aws_wafv2_web_acl_logging_configuration: 'no charge for logging itself; the volume is priced at its destination log group',
  helm_release: 'in-cluster: its pods run on the node groups (priced there); volumes or load balancers a chart creates are not seen here',
  kubernetes_annotations: KUBERNETES_OBJECT,
  kubernetes_cluster_role_binding_v1: KUBERNETES_OBJECT,
  kubernetes_cluster_role_v1: KUBERNETES_OBJECT,
  kubernetes_config_map_v1: KUBERNETES_OBJECT,
  kubernetes_config_map_v1_data: KUBERNETES_OBJECT,
  kubernetes_labels: KUBERNETES_OBJECT,
  kubernetes_namespace_v1: KUBERNETES_OBJECT,
  kubernetes_role_binding_v1: KUBERNETES_OBJECT,
  kubernetes_role_v1: KUBERNETES_OBJECT,
  kubernetes_secret_v1: KUBERNETES_OBJECT,
  kubernetes_service_account_v1: KUBERNETES_OBJECT,
};
