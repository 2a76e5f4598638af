//! The scenario document, version 1: what a user writes (JSON or YAML) and what a link carries.
//!
//! Field names follow eksctl's ClusterConfig and the Kubernetes API (camelCase). Addresses and
//! CIDRs stay strings here so that a bad one is reported by validation with its path, not by
//! the parser as a single opaque error.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The version this build writes; documents with another version are refused or migrated.
pub const CURRENT_VERSION: u32 = 1;

/// A whole scenario: a VPC, an EKS cluster in it, and what runs on the cluster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    pub version: u32,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the scenario teaches, shown beside the diagram (plain text, paragraphs separated
    /// by blank lines).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub vpc: Vpc,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cluster: ClusterSpec,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_node_groups: Vec<NodeGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<Workload>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingresses: Vec<Ingress>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
    /// Rules of the security groups pods use (`workloads[].securityGroups`), and extra inbound
    /// rules for the cluster security group (`id: cluster`). A flow's trace evaluates them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<SecurityGroup>,
    /// What happened to nodes after launch, by node name (`ng-1-2`): cordoned, drained, failed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_states: BTreeMap<String, NodeState>,
}

/// A node's state after an operator's or the world's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeState {
    /// `kubectl cordon`: no new pods; running pods stay.
    Cordoned,
    /// `kubectl drain`: cordoned and its pods evicted (DaemonSet pods stay).
    Drained,
    /// The instance stopped answering: NotReady, its pods evicted and recreated elsewhere, the
    /// instance terminated and its addresses returned to the subnet.
    Failed,
}

/// The customer VPC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vpc {
    /// Primary IPv4 CIDR, /16 to /28.
    pub cidr: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_cidrs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<Subnet>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub nat_gateways: NatGatewayMode,
}

/// One subnet in one Availability Zone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subnet {
    pub name: String,
    pub az: String,
    pub cidr: String,
    /// Routes 0.0.0.0/0 to the internet gateway.
    #[serde(default, skip_serializing_if = "is_default")]
    pub public: bool,
    /// EC2 tags. The load balancer controllers read `kubernetes.io/role/elb` (internet-facing),
    /// `kubernetes.io/role/internal-elb` (internal) and `kubernetes.io/cluster/<name>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// eksctl's `vpc.nat.gateway`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum NatGatewayMode {
    /// One NAT gateway per AZ that has a public subnet.
    #[serde(alias = "OnePerAz")]
    HighlyAvailable,
    /// One NAT gateway, in the first public subnet (eksctl's default).
    #[default]
    Single,
    /// No NAT gateway: private subnets have no route to the internet.
    Disable,
}

/// The EKS cluster's own settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterSpec {
    #[serde(
        default = "default_cluster_name",
        skip_serializing_if = "is_default_cluster_name"
    )]
    pub name: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub ip_family: IpFamily,
    /// `null` = the EKS default rule.
    #[serde(
        default,
        rename = "serviceIPv4CIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_ipv4_cidr: Option<String>,
    /// IPv6 clusters only: the unique-local /108 EKS assigned (it cannot be chosen; give it to
    /// reproduce a real cluster). `null` = a unique-local /108 the model derives from the name.
    #[serde(
        default,
        rename = "serviceIPv6CIDR",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_ipv6_cidr: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cluster_endpoints: ClusterEndpoints,
    #[serde(
        default = "default_public_access_cidrs",
        rename = "publicAccessCIDRs",
        skip_serializing_if = "is_default_public_access_cidrs"
    )]
    pub public_access_cidrs: Vec<String>,
    /// Subnet names that receive the control plane's cross-account ENIs; empty = every subnet
    /// that holds nodes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub control_plane_subnets: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub vpc_cni: VpcCni,
}

impl Default for ClusterSpec {
    fn default() -> Self {
        ClusterSpec {
            name: default_cluster_name(),
            ip_family: IpFamily::default(),
            service_ipv4_cidr: None,
            service_ipv6_cidr: None,
            cluster_endpoints: ClusterEndpoints::default(),
            public_access_cidrs: default_public_access_cidrs(),
            control_plane_subnets: Vec::new(),
            vpc_cni: VpcCni::default(),
        }
    }
}

pub(super) fn default_cluster_name() -> String {
    "demo".into()
}

fn is_default_cluster_name(name: &str) -> bool {
    name == "demo"
}

pub(super) fn default_public_access_cidrs() -> Vec<String> {
    vec!["0.0.0.0/0".into()]
}

fn is_default_public_access_cidrs(cidrs: &[String]) -> bool {
    matches!(cidrs, [only] if only == "0.0.0.0/0")
}

/// For `skip_serializing_if`: fields equal to their default are left out of the JSON (and so
/// out of links), which reads them back as that default.
fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum IpFamily {
    #[default]
    IPv4,
    IPv6,
}

/// Public and/or private access to the Kubernetes API endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClusterEndpoints {
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub public_access: bool,
    #[serde(default, skip_serializing_if = "is_default")]
    pub private_access: bool,
}

impl Default for ClusterEndpoints {
    fn default() -> Self {
        ClusterEndpoints {
            public_access: true,
            private_access: false,
        }
    }
}

pub(super) fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

/// Amazon VPC CNI (aws-node) settings, named after its environment variables.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VpcCni {
    #[serde(
        default = "default_cni_version",
        skip_serializing_if = "is_default_cni_version"
    )]
    pub version: String,
    /// ENABLE_PREFIX_DELEGATION.
    #[serde(default, skip_serializing_if = "is_default")]
    pub prefix_delegation: bool,
    /// AZ → subnet name of its ENIConfig. Empty = custom networking off.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub custom_networking: BTreeMap<String, String>,
    /// AWS_VPC_K8S_CNI_EXTERNALSNAT.
    #[serde(default, skip_serializing_if = "is_default")]
    pub external_snat: bool,
    /// ENABLE_POD_ENI (security groups for pods).
    #[serde(default, skip_serializing_if = "is_default")]
    pub pod_eni: bool,
    /// POD_SECURITY_GROUP_ENFORCING_MODE.
    #[serde(default, skip_serializing_if = "is_default")]
    pub pod_security_group_enforcing_mode: EnforcingMode,
    /// `null` (written out) = unset; absent = the default, 1.
    #[serde(
        default = "default_warm_eni_target",
        skip_serializing_if = "is_default_warm_eni_target"
    )]
    pub warm_eni_target: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_ip_target: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_ip_target: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warm_prefix_target: Option<u32>,
}

impl Default for VpcCni {
    fn default() -> Self {
        VpcCni {
            version: default_cni_version(),
            prefix_delegation: false,
            custom_networking: BTreeMap::new(),
            external_snat: false,
            pod_eni: false,
            pod_security_group_enforcing_mode: EnforcingMode::default(),
            warm_eni_target: default_warm_eni_target(),
            warm_ip_target: None,
            minimum_ip_target: None,
            warm_prefix_target: None,
        }
    }
}

pub(super) fn default_cni_version() -> String {
    "1.18.0".into()
}

fn is_default_cni_version(version: &str) -> bool {
    version == "1.18.0"
}

pub(super) fn default_warm_eni_target() -> Option<u32> {
    Some(1)
}

fn is_default_warm_eni_target(target: &Option<u32>) -> bool {
    *target == Some(1)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EnforcingMode {
    #[default]
    Strict,
    Standard,
}

/// An EKS managed node group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeGroup {
    pub name: String,
    pub instance_type: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub desired_capacity: u32,
    pub subnets: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
    /// Overrides the kubelet's max pods computed for the instance type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_pods_per_node: Option<u32>,
}

pub(super) fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Taint {
    pub key: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub value: String,
    pub effect: TaintEffect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaintEffect {
    NoSchedule,
    PreferNoSchedule,
    NoExecute,
}

/// A Deployment or DaemonSet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workload {
    pub name: String,
    #[serde(
        default = "default_namespace",
        skip_serializing_if = "is_default_namespace"
    )]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: WorkloadKind,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub replicas: u32,
    /// Pod labels; `app: <name>` when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub requests: Requests,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topology_spread_constraints: Vec<TopologySpreadConstraint>,
    /// Security group ids for a SecurityGroupPolicy selecting these pods (needs podEni).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_groups: Vec<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub host_network: bool,
    #[serde(
        default = "default_container_port",
        skip_serializing_if = "is_default_container_port"
    )]
    pub container_port: u16,
}

pub(super) fn default_namespace() -> String {
    "default".into()
}

fn is_default_namespace(namespace: &str) -> bool {
    namespace == "default"
}

pub(super) fn default_container_port() -> u16 {
    8080
}

impl Workload {
    /// A Deployment with the document's defaults (namespace `default`, one replica, port 8080)
    /// but its name and requests: what the generator and the scheduler's tests start from.
    pub fn deployment(name: impl Into<String>, cpu: &str, memory: &str) -> Workload {
        Workload {
            name: name.into(),
            namespace: default_namespace(),
            kind: WorkloadKind::Deployment,
            replicas: one(),
            labels: BTreeMap::new(),
            requests: Requests {
                cpu: Some(cpu.into()),
                memory: Some(memory.into()),
            },
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: Vec::new(),
            host_network: false,
            container_port: default_container_port(),
        }
    }
}

fn is_default_container_port(port: &u16) -> bool {
    *port == 8080
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WorkloadKind {
    #[default]
    Deployment,
    DaemonSet,
}

/// Resource requests as Kubernetes quantities (`250m`, `1`, `256Mi`, `1Gi`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Requests {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toleration {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub operator: TolerationOperator,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<TaintEffect>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum TolerationOperator {
    #[default]
    Equal,
    Exists,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TopologySpreadConstraint {
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub max_skew: u32,
    /// `topology.kubernetes.io/zone` or `kubernetes.io/hostname`.
    pub topology_key: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub when_unsatisfiable: WhenUnsatisfiable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WhenUnsatisfiable {
    #[default]
    DoNotSchedule,
    ScheduleAnyway,
}

/// A Kubernetes Service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    pub name: String,
    #[serde(
        default = "default_namespace",
        skip_serializing_if = "is_default_namespace"
    )]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    #[serde(default, rename = "type", skip_serializing_if = "is_default")]
    pub service_type: ServiceType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub external_traffic_policy: TrafficPolicy,
    #[serde(default, skip_serializing_if = "is_default")]
    pub internal_traffic_policy: TrafficPolicy,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer: Option<LoadBalancerSpec>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub port: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<u16>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: Protocol,
    /// Requested NodePort; allocated from 30000–32767 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Protocol {
    #[default]
    TCP,
    UDP,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TrafficPolicy {
    #[default]
    Cluster,
    Local,
}

/// How a LoadBalancer Service is exposed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LoadBalancerSpec {
    #[serde(default, skip_serializing_if = "is_default")]
    pub kind: LoadBalancerKind,
    /// Who makes the load balancer. Absent: as documents meant before this field existed —
    /// an NLB from the AWS Load Balancer Controller, a CLB from the in-tree provider, and
    /// `scheme` internal when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<LoadBalancerController>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub target_type: TargetType,
    /// Absent: the default of the controller that makes it (see [`LoadBalancerSpec::scheme`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<Scheme>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub cross_zone: bool,
    /// NLB client IP preservation; `null` = the target type's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preserve_client_ip: Option<bool>,
    /// `service.beta.kubernetes.io/aws-load-balancer-subnets`: subnet names, at most one per
    /// AZ; empty = the controller discovers them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
}

/// Why a load balancer has the scheme it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeOrigin {
    /// `scheme` is given.
    Given,
    /// The default of the controller named in `controller`.
    ControllerDefault,
    /// A Classic LB with no `controller` and no `scheme`: internal, as every document meant
    /// before the field (the in-tree provider's own default is internet-facing).
    Unstated,
}

impl LoadBalancerSpec {
    /// The controller that makes it: `controller`, else the one the kind implies (only the
    /// in-tree provider makes Classic LBs).
    pub fn maker(&self) -> LoadBalancerController {
        self.controller.unwrap_or(match self.kind {
            LoadBalancerKind::Nlb => LoadBalancerController::AwsLoadBalancerController,
            LoadBalancerKind::Clb => LoadBalancerController::InTree,
        })
    }

    /// The scheme and where it comes from. The in-tree provider
    /// (kubernetes/cloud-provider-aws `pkg/providers/v1/aws.go`) makes internet-facing load
    /// balancers unless `aws-load-balancer-internal` is set; the AWS Load Balancer Controller
    /// makes internal ones unless `aws-load-balancer-scheme` says otherwise (its NLB guide,
    /// "secure by default", v2.2.0 on). Without `controller`, internal: what eksplain always
    /// drew, so old links keep their picture.
    pub fn scheme(&self) -> (Scheme, SchemeOrigin) {
        match (self.scheme, self.controller) {
            (Some(s), _) => (s, SchemeOrigin::Given),
            (None, Some(LoadBalancerController::InTree)) => {
                (Scheme::InternetFacing, SchemeOrigin::ControllerDefault)
            }
            (None, Some(LoadBalancerController::AwsLoadBalancerController)) => {
                (Scheme::Internal, SchemeOrigin::ControllerDefault)
            }
            // An NLB without `controller` is the controller's, whose default is internal.
            (None, None) if self.kind == LoadBalancerKind::Nlb => {
                (Scheme::Internal, SchemeOrigin::ControllerDefault)
            }
            (None, None) => (Scheme::Internal, SchemeOrigin::Unstated),
        }
    }
}

/// Who makes a Service's load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancerController {
    /// The AWS Load Balancer Controller (`loadBalancerClass: service.k8s.aws/nlb`, or
    /// `aws-load-balancer-type: external`): NLBs with instance or ip targets.
    AwsLoadBalancerController,
    /// The legacy in-tree cloud provider (cloud-provider-aws): a Classic LB, or an NLB with
    /// `aws-load-balancer-type: nlb`; instance targets only.
    InTree,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoadBalancerKind {
    /// Network Load Balancer from the AWS Load Balancer Controller.
    #[default]
    Nlb,
    /// Classic Load Balancer from the legacy in-tree cloud provider.
    Clb,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetType {
    #[default]
    Instance,
    Ip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// The AWS Load Balancer Controller's default (an Ingress's, and a Service's without
    /// `controller`).
    #[default]
    Internal,
    InternetFacing,
}

/// An Ingress served by an ALB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Ingress {
    pub name: String,
    #[serde(
        default = "default_namespace",
        skip_serializing_if = "is_default_namespace"
    )]
    pub namespace: String,
    /// `alb.ingress.kubernetes.io/group.name`: Ingresses with one group share one ALB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub scheme: Scheme,
    #[serde(default, skip_serializing_if = "is_default")]
    pub target_type: TargetType,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<IngressRule>,
    /// `alb.ingress.kubernetes.io/subnets`: subnet names, at most one per AZ; empty = the
    /// controller discovers them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subnets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IngressRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(default = "default_path", skip_serializing_if = "is_default_path")]
    pub path: String,
    pub service: String,
    pub port: u16,
}

pub(super) fn default_path() -> String {
    "/".into()
}

fn is_default_path(path: &str) -> bool {
    path == "/"
}

/// A security group's rules. Inbound: only what a rule allows. Outbound: everything unless
/// `egress` is given (AWS's default for a new group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityGroup {
    /// `sg-` and 8 or 17 hexadecimal digits, or `cluster` for the EKS cluster security group.
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ingress: Vec<SecurityGroupIngress>,
    /// Absent = all outbound allowed; `[]` = nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub egress: Option<Vec<SecurityGroupEgress>>,
}

/// An inbound rule: `{protocol: tcp, ports: "5432", from: sg-0123abcd}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityGroupIngress {
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: RuleProtocol,
    /// `5432`, `30000-32767` or `all`.
    #[serde(default = "all_ports", skip_serializing_if = "is_all_ports")]
    pub ports: String,
    /// A CIDR (`10.0.0.0/16`, `2001:db8::/56`), a security group id, or `cluster`.
    pub from: String,
}

/// An outbound rule: `{protocol: tcp, ports: "443", to: 0.0.0.0/0}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecurityGroupEgress {
    #[serde(default, skip_serializing_if = "is_default")]
    pub protocol: RuleProtocol,
    #[serde(default = "all_ports", skip_serializing_if = "is_all_ports")]
    pub ports: String,
    /// A CIDR, a security group id, or `cluster`.
    pub to: String,
}

pub(super) fn all_ports() -> String {
    "all".into()
}

fn is_all_ports(ports: &str) -> bool {
    ports == "all"
}

/// A security group rule's protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleProtocol {
    #[default]
    Tcp,
    Udp,
    /// Every protocol (`-1` in the EC2 API); ports must be `all`.
    #[serde(alias = "-1")]
    All,
}

/// A flow to trace: `internet`, `pod/<workload>`, `service/<name>`, `ingress/<name>`,
/// `node/<name>`, `apiserver`, `kubectl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Flow {
    pub from: String,
    pub to: String,
}
