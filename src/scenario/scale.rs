//! Generated scenarios at scale: a realistic cluster of any size up to Kubernetes' tested
//! limits (5,000 nodes, 150,000 pods), for the benchmarks (`tests/benches/model.rs`) and the
//! scale tests (`tests/scale.rs`).
//!
//! [`scale_scenario`] is deterministic: the same node count always gives the same document.
//! The cluster it describes is what a platform team would run at that size:
//!
//! * **VPC** `10.0.0.0/16` over three AZs (`us-east-1a/b/c`), a NAT gateway per AZ. Per AZ a
//!   public subnet (NAT gateway, internet-facing load balancers), a private node subnet and a
//!   pod subnet in `100.64.0.0/10` for custom networking. Every subnet is sized to its load
//!   (see [`SubnetPlan`]): up to ~1,900 nodes the three pod subnets share the secondary CIDR
//!   `100.64.0.0/16`; above that each AZ gets its own secondary `/16` (`100.64.0.0/16`,
//!   `100.65.0.0/16`, `100.66.0.0/16`), since a subnet cannot be larger than a /16 and an AZ
//!   of 1,667 nodes needs ~55,000 pod addresses. Four CIDRs in all: within the VPC's default
//!   quota of five.
//! * **VPC CNI** with prefix delegation and custom networking (an ENIConfig per AZ naming its
//!   pod subnet), `WARM_IP_TARGET=2` and `MINIMUM_IP_TARGET=30`, the tuning AWS recommends
//!   for large clusters: each node holds two /28 prefixes (32 addresses) for its ~27 pod
//!   addresses, instead of the three the default `WARM_PREFIX_TARGET=1` would hold.
//! * **Nodes**: managed node groups of at most 450 nodes (EKS's default quota per group),
//!   alternating `m5.2xlarge` and `m6i.2xlarge` (8 vCPU, 32 GiB, max pods 110 with prefix
//!   delegation), each spread over the three private subnets.
//! * **Pods**: [`PODS_PER_NODE`] per node on average, counting every pod: the system
//!   DaemonSets `aws-node` and `kube-proxy`, two more DaemonSets (`node-exporter` on the host
//!   network, `fluent-bit` with a pod address), CoreDNS's two replicas, and Deployments whose
//!   replica counts cycle through 2…64 (26 on average). 5,000 nodes make exactly 150,000
//!   pods, Kubernetes' tested limit.
//! * **Services**: one per Deployment (≈5,000 at 5,000 nodes): every 50th a LoadBalancer
//!   (alternately an internet-facing NLB with IP targets and an internal NLB with instance
//!   targets and `externalTrafficPolicy: Local`), every 5th a NodePort, the rest ClusterIP;
//!   every 25th ClusterIP service is behind an Ingress in one of four IngressGroups (four
//!   internet-facing ALBs).
//!
//! Everything lives in the `default` namespace and fields keep their defaults where they
//! can, so the document (and its share link) stays as small as the cluster allows. The
//! document is written as JSON and read back through serde, so fields added to the document
//! later with a default need no change here.

use std::collections::BTreeMap;

use super::document::*;

/// Pods per node on average, every pod counted (system DaemonSets and CoreDNS included).
pub const PODS_PER_NODE: u32 = 30;

/// The most nodes a generated scenario has (Kubernetes' tested limit, and the model's).
pub const MAX_SCALE_NODES: u32 = 5_000;

/// EKS's default quota of nodes per managed node group.
const MAX_NODES_PER_GROUP: u32 = 450;

const AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// Deployment sizes, cycled: 26 replicas on average, so one Service per ~26 pods.
const REPLICAS: [u32; 10] = [2, 4, 8, 12, 16, 24, 32, 48, 64, 50];

/// Names of the Deployments (`<word>-<n>`), cycled.
const WORDS: [&str; 12] = [
    "api", "web", "worker", "cart", "search", "auth", "orders", "billing", "catalog", "media",
    "notify", "report",
];

/// Pods per node that are not a Deployment's: aws-node, kube-proxy, node-exporter, fluent-bit.
const DAEMONSET_PODS_PER_NODE: u32 = 4;

/// CoreDNS's replicas (the model adds them to every cluster).
const COREDNS_REPLICAS: u32 = 2;

/// Pod addresses a node takes from its pod subnet: two /28 prefixes and its pod ENI's own
/// primary address (custom networking puts pods on a second ENI).
const POD_SUBNET_ADDRESSES_PER_NODE: u32 = 2 * 16 + 1;

/// Every `LB_EVERY`-th service is a LoadBalancer.
const LB_EVERY: usize = 50;
/// Every `NODE_PORT_EVERY`-th service (offset 1) is a NodePort.
const NODE_PORT_EVERY: usize = 5;
/// Every `INGRESS_EVERY`-th service (offset 2) is behind an Ingress.
const INGRESS_EVERY: usize = 25;
/// IngressGroups, so ALBs.
const INGRESS_GROUPS: usize = 4;

/// A realistic scenario with `nodes` nodes (clamped to 1..=5,000) and about
/// [`PODS_PER_NODE`] pods on each; see the module documentation for what it holds.
/// Deterministic: the same `nodes` always gives the same scenario.
pub fn scale_scenario(nodes: u32) -> Scenario {
    let nodes = nodes.clamp(1, MAX_SCALE_NODES);
    let plan = SubnetPlan::for_nodes(nodes);
    let deployments = deployment_sizes(nodes);
    Scenario {
        version: CURRENT_VERSION,
        name: format!("At scale: {nodes} nodes, {} pods", PODS_PER_NODE * nodes),
        description: description(nodes, &plan, deployments.len()),
        vpc: plan.vpc(),
        cluster: ClusterSpec {
            name: "scale".into(),
            cluster_endpoints: ClusterEndpoints {
                public_access: true,
                private_access: true,
            },
            control_plane_subnets: strings(&["private-a", "private-b", "private-c"]),
            vpc_cni: VpcCni {
                prefix_delegation: true,
                custom_networking: custom_networking(),
                warm_ip_target: Some(2),
                minimum_ip_target: Some(30),
                ..VpcCni::default()
            },
            ..ClusterSpec::default()
        },
        managed_node_groups: node_groups(nodes),
        workloads: workloads(&deployments),
        services: services(deployments.len()),
        ingresses: ingresses(deployments.len()),
        flows: flows(deployments.len()),
        security_groups: Vec::new(),
        node_states: BTreeMap::new(),
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// AZ → its pods subnet, inserted one by one (collecting a map sorts: one more sort
/// instantiation in the wasm).
fn custom_networking() -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    for az in AZS {
        map.insert(az.to_string(), format!("pods-{}", letter(az)));
    }
    map
}

fn letter(az: &str) -> &str {
    &az[az.len() - 1..]
}

fn nodes_per_az(nodes: u32) -> u32 {
    nodes.div_ceil(AZS.len() as u32)
}

/// The smallest prefix length (not longer than `longest`, not shorter than `shortest`) whose
/// block holds `addresses` usable addresses (5 are reserved in every subnet).
fn prefix_holding(addresses: u32, shortest: u8, longest: u8) -> u8 {
    let mut p = longest;
    while p > shortest && (1u64 << (32 - p)) < u64::from(addresses) + 5 {
        p -= 1;
    }
    p
}

/// How the VPC's address space is cut for a cluster of a given size.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SubnetPlan {
    /// Public subnets: 10.0.0.0/p, 10.0.4.0/p, 10.0.8.0/p (p ≥ 22).
    public_prefix: u8,
    /// Node subnets: 10.0.16.0/p, 10.0.32.0/p, 10.0.48.0/p (p ≥ 20).
    private_prefix: u8,
    /// Pod subnets: in 100.64.0.0/16 at 100.64.{0,64,128}.0/p when p ≥ 18, else one
    /// secondary /16 per AZ (100.64.0.0/16, 100.65.0.0/16, 100.66.0.0/16).
    pod_prefix: u8,
}

impl SubnetPlan {
    fn for_nodes(nodes: u32) -> SubnetPlan {
        let per_az = nodes_per_az(nodes);
        let deployments = deployment_sizes(nodes).len();
        let lbs = deployments.div_ceil(LB_EVERY) as u32;
        let internet_lbs = lbs.div_ceil(2) + INGRESS_GROUPS as u32;
        // Public: internet-facing load balancers and a NAT gateway, twice over for growth.
        let public_prefix = prefix_holding(2 * (internet_lbs + 1), 22, 24);
        // Private: a node's own address, the internal NLBs and the control plane's ENIs, with
        // room for a rolling update to double the nodes for a while.
        let private_prefix = prefix_holding(2 * (per_az + lbs / 2 + 4), 20, 24);
        // Pods: two prefixes and an ENI per node, one /28 in 16 lost to alignment, 1/8 spare.
        let pod_addresses = per_az * POD_SUBNET_ADDRESSES_PER_NODE;
        let pod_prefix = prefix_holding(
            pod_addresses + pod_addresses / 16 + pod_addresses / 8,
            16,
            24,
        );
        SubnetPlan {
            public_prefix,
            private_prefix,
            pod_prefix: if pod_prefix < 18 { 16 } else { pod_prefix },
        }
    }

    fn shared_pod_cidr(&self) -> bool {
        self.pod_prefix >= 18
    }

    fn secondary_cidrs(&self) -> Vec<String> {
        if self.shared_pod_cidr() {
            vec!["100.64.0.0/16".into()]
        } else {
            (0..AZS.len())
                .map(|i| format!("100.{}.0.0/16", 64 + i))
                .collect()
        }
    }

    fn pod_cidr(&self, i: usize) -> String {
        if self.shared_pod_cidr() {
            format!("100.64.{}.0/{}", 64 * i, self.pod_prefix)
        } else {
            format!("100.{}.0.0/16", 64 + i)
        }
    }

    fn vpc(&self) -> Vpc {
        let subnet = |name: &str, az: &str, cidr: String, public: bool| Subnet {
            name: format!("{name}-{}", letter(az)),
            az: az.into(),
            cidr,
            public,
            tags: BTreeMap::new(),
        };
        let mut subnets = Vec::new();
        for (i, az) in AZS.iter().enumerate() {
            let cidr = format!("10.0.{}.0/{}", 4 * i, self.public_prefix);
            subnets.push(subnet("public", az, cidr, true));
        }
        for (i, az) in AZS.iter().enumerate() {
            let cidr = format!("10.0.{}.0/{}", 16 * (i + 1), self.private_prefix);
            subnets.push(subnet("private", az, cidr, false));
        }
        for (i, az) in AZS.iter().enumerate() {
            subnets.push(subnet("pods", az, self.pod_cidr(i), false));
        }
        Vpc {
            cidr: "10.0.0.0/16".into(),
            secondary_cidrs: self.secondary_cidrs(),
            subnets,
            nat_gateways: NatGatewayMode::HighlyAvailable,
        }
    }
}

fn deployment_sizes(nodes: u32) -> Vec<u32> {
    let mut left = (PODS_PER_NODE - DAEMONSET_PODS_PER_NODE) * nodes - COREDNS_REPLICAS;
    let mut sizes = Vec::new();
    for &r in REPLICAS.iter().cycle() {
        if left == 0 {
            break;
        }
        let r = r.min(left);
        sizes.push(r);
        left -= r;
    }
    sizes
}

fn deployment_name(i: usize) -> String {
    format!("{}-{}", WORDS[i % WORDS.len()], i + 1)
}

fn node_groups(nodes: u32) -> Vec<NodeGroup> {
    let groups = nodes.div_ceil(MAX_NODES_PER_GROUP);
    (0..groups)
        .map(|g| {
            let size = nodes / groups + u32::from(g < nodes % groups);
            let instance_type = if g % 2 == 0 {
                "m5.2xlarge"
            } else {
                "m6i.2xlarge"
            };
            NodeGroup {
                name: format!("ng-{}", g + 1),
                instance_type: instance_type.into(),
                desired_capacity: size,
                subnets: strings(&["private-a", "private-b", "private-c"]),
                labels: BTreeMap::new(),
                taints: Vec::new(),
                max_pods_per_node: None,
            }
        })
        .collect()
}

fn workloads(deployments: &[u32]) -> Vec<Workload> {
    let node_exporter = Workload {
        kind: WorkloadKind::DaemonSet,
        host_network: true,
        container_port: 9100,
        ..Workload::deployment("node-exporter", "50m", "64Mi")
    };
    let fluent_bit = Workload {
        kind: WorkloadKind::DaemonSet,
        container_port: 2020,
        ..Workload::deployment("fluent-bit", "100m", "128Mi")
    };
    let mut out = vec![node_exporter, fluent_bit];
    for (i, &replicas) in deployments.iter().enumerate() {
        let mut w = Workload {
            replicas,
            ..Workload::deployment(deployment_name(i), "200m", "256Mi")
        };
        // Larger Deployments spread over the zones, as a highly available service does.
        if replicas >= 12 && i % 3 == 0 {
            w.topology_spread_constraints = vec![TopologySpreadConstraint {
                max_skew: one(),
                topology_key: "topology.kubernetes.io/zone".into(),
                when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
            }];
        }
        out.push(w);
    }
    out
}

fn services(deployments: usize) -> Vec<Service> {
    (0..deployments)
        .map(|i| {
            let name = deployment_name(i);
            let mut s = Service {
                name: name.clone(),
                namespace: default_namespace(),
                selector: app_selector(name),
                service_type: ServiceType::ClusterIP,
                ports: vec![ServicePort {
                    name: None,
                    port: 8080,
                    target_port: None,
                    protocol: Protocol::TCP,
                    node_port: None,
                }],
                external_traffic_policy: TrafficPolicy::Cluster,
                internal_traffic_policy: TrafficPolicy::Cluster,
                load_balancer: None,
            };
            if i % LB_EVERY == 0 {
                s.service_type = ServiceType::LoadBalancer;
                s.load_balancer = Some(if (i / LB_EVERY) % 2 == 0 {
                    LoadBalancerSpec {
                        target_type: TargetType::Ip,
                        scheme: Some(Scheme::InternetFacing),
                        ..LoadBalancerSpec::default()
                    }
                } else {
                    s.external_traffic_policy = TrafficPolicy::Local;
                    LoadBalancerSpec::default()
                });
            } else if i % NODE_PORT_EVERY == 1 {
                s.service_type = ServiceType::NodePort;
            }
            s
        })
        .collect()
}

/// `app: <name>`, inserted (`BTreeMap::from` an array sorts it first).
fn app_selector(name: String) -> BTreeMap<String, String> {
    let mut selector = BTreeMap::new();
    selector.insert("app".to_string(), name);
    selector
}

fn ingresses(deployments: usize) -> Vec<Ingress> {
    (0..deployments)
        .filter(|i| i % INGRESS_EVERY == 2)
        .map(|i| {
            let name = deployment_name(i);
            Ingress {
                name: name.clone(),
                namespace: default_namespace(),
                group_name: Some(format!("shared-{}", (i / INGRESS_EVERY) % INGRESS_GROUPS)),
                scheme: Scheme::InternetFacing,
                target_type: TargetType::Ip,
                rules: vec![IngressRule {
                    host: Some(format!("{name}.example.com")),
                    path: default_path(),
                    service: name.clone(),
                    port: 8080,
                }],
                subnets: Vec::new(),
            }
        })
        .collect()
}

/// Flows a user would trace: from the internet through the first NLB and the first ALB, and
/// from one pod to another Deployment's service.
fn flows(deployments: usize) -> Vec<Flow> {
    let flow = |from: String, to: String| Flow { from, to };
    let mut out = vec![flow(
        "internet".into(),
        format!("service/{}", deployment_name(0)),
    )];
    if deployments > 2 {
        out.push(flow(
            "internet".into(),
            format!("ingress/{}", deployment_name(2)),
        ));
    }
    if deployments > 1 {
        out.push(flow(
            format!("pod/{}", deployment_name(1)),
            format!("service/{}", deployment_name(0)),
        ));
    }
    out
}

/// What the scenario is, for the text beside the diagram.
fn description(nodes: u32, plan: &SubnetPlan, deployments: usize) -> String {
    let pod_cidrs: Vec<String> = (0..AZS.len()).map(|i| plan.pod_cidr(i)).collect();
    format!(
        "A generated cluster at scale: {nodes} nodes in managed node groups of at most \
         {MAX_NODES_PER_GROUP}, {} pods ({PODS_PER_NODE} per node, system DaemonSets included), \
         {deployments} Deployments with a Service each.\n\n\
         Prefix delegation with WARM_IP_TARGET=2 and MINIMUM_IP_TARGET=30 holds two /28 prefixes \
         per node; custom networking puts pod addresses in {}, outside the node subnets.",
        PODS_PER_NODE * nodes,
        pod_cidrs.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pods_add_up_to_thirty_per_node() {
        for nodes in [1, 3, 100, 1000, 5000] {
            let sizes = deployment_sizes(nodes);
            let total: u32 =
                sizes.iter().sum::<u32>() + DAEMONSET_PODS_PER_NODE * nodes + COREDNS_REPLICAS;
            assert_eq!(total, PODS_PER_NODE * nodes);
            assert!(sizes.iter().all(|&r| r > 0));
        }
        assert_eq!(deployment_sizes(5000).len(), 5000);
    }

    #[test]
    fn subnets_grow_with_the_cluster() {
        let small = SubnetPlan::for_nodes(3);
        assert_eq!((small.public_prefix, small.private_prefix), (24, 24));
        assert!(small.shared_pod_cidr());
        let big = SubnetPlan::for_nodes(5000);
        assert_eq!(
            (big.public_prefix, big.private_prefix, big.pod_prefix),
            (24, 20, 16)
        );
        assert_eq!(big.secondary_cidrs().len(), 3);
        let mid = SubnetPlan::for_nodes(1000);
        assert!(mid.shared_pod_cidr(), "{mid:?}");
    }

    #[test]
    fn the_generator_is_deterministic_and_clamps() {
        assert_eq!(scale_scenario(100), scale_scenario(100));
        assert_eq!(scale_scenario(0), scale_scenario(1));
        assert_eq!(scale_scenario(9_999), scale_scenario(5_000));
        let s = scale_scenario(1000);
        let nodes: u32 = s
            .managed_node_groups
            .iter()
            .map(|g| g.desired_capacity)
            .sum();
        assert_eq!(nodes, 1000);
        assert!(s
            .managed_node_groups
            .iter()
            .all(|g| g.desired_capacity <= MAX_NODES_PER_GROUP));
    }
}
