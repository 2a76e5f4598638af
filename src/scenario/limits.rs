//! Every limit eksplain puts on a scenario, with where it comes from, and the check that runs
//! them all before any per-item work.
//!
//! The limits follow the AWS service quotas and Kubernetes' scalability thresholds, so a
//! scenario that AWS and Kubernetes would accept is accepted here. Where AWS documents a
//! quota as adjustable with a ceiling, the ceiling is the limit; where it documents no
//! ceiling, eksplain allows ten times the default. `docs/limits.md` lists them all (a test
//! keeps it in step with this file).
//!
//! [`check_counts`] compares each list's length with its limit. It visits every list once
//! and never looks inside an item beyond its lists, so it is linear in the document; when a
//! count is over its limit the scenario is refused there, with one problem per field, and
//! no per-item check runs. A hostile document with 20,000 CIDRs costs a count, not 20,000
//! checks and 20,000 messages.

use super::document::Scenario;
use super::problem::{Path, Problem};

/// A limit on how many items a list of the document may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The field, with `[]` for "in each element": `managedNodeGroups[].taints`.
    pub field: &'static str,
    /// What is counted, plural: `secondary CIDR blocks`.
    pub items: &'static str,
    /// What holds them, with its verb: `a VPC holds`.
    pub holder: &'static str,
    pub max: usize,
    /// Where the number comes from: the quota's or threshold's name and value.
    pub source: &'static str,
}

impl Limit {
    /// `2,000 secondary CIDR blocks; a VPC holds at most 49 (AWS quota …)`.
    pub fn message(&self, count: usize) -> String {
        format!(
            "{} {}; {} at most {} ({})",
            thousands(count as u64),
            self.items,
            self.holder,
            thousands(self.max as u64),
            self.source
        )
    }

    /// Adds one problem at `path` when `count` is over the limit.
    fn check(&self, path: impl FnOnce() -> Path, count: usize, problems: &mut Vec<Problem>) {
        if count > self.max {
            problems.push(Problem::new(path(), self.message(count)));
        }
    }
}

/// Kubernetes' tested limit: "No more than 5,000 nodes" (scalability thresholds).
pub const MAX_NODES: u32 = 5_000;
/// Kubernetes' tested limit: "No more than 150,000 total pods" (scalability thresholds).
pub const MAX_PODS_TOTAL: u64 = 150_000;

/// A DNS label (RFC 1123): Service and namespace names, a label's name part and value.
pub const DNS_LABEL_MAX: usize = 63;
/// A DNS subdomain (RFC 1123): most Kubernetes object names, a label key's prefix.
pub const DNS_SUBDOMAIN_MAX: usize = 253;
/// A label key: a subdomain prefix, `/`, a 63-character name.
pub const LABEL_KEY_MAX: usize = DNS_SUBDOMAIN_MAX + 1 + DNS_LABEL_MAX;
/// EKS CreateCluster: a cluster name is 1 to 100 characters.
pub const CLUSTER_NAME_MAX: usize = 100;
/// The scenario's own name (its title): the longest AWS `Name` tag value, 256 characters.
pub const SCENARIO_NAME_MAX: usize = 256;
/// The scenario's description: eksplain's own limit, some pages of text (shown once).
pub const DESCRIPTION_MAX: usize = 64 * 1024;
/// How deeply the document may nest. A scenario nests 5 levels (`securityGroups[0].ingress[0]
/// .from`); the parsers' own recursion limits (serde_json: 128) are far deeper and fail with a
/// less helpful message.
pub const MAX_DEPTH: usize = 16;

pub const SECONDARY_CIDRS: Limit = Limit {
    field: "vpc.secondaryCidrs",
    items: "secondary CIDR blocks",
    holder: "a VPC holds",
    max: 49,
    source:
        "AWS quota \"IPv4 CIDR blocks per VPC\": 5, adjustable up to 50, the primary CIDR included",
};

pub const SUBNETS: Limit = Limit {
    field: "vpc.subnets",
    items: "subnets",
    holder: "a VPC holds",
    max: 2_000,
    source: "AWS quota \"Subnets per VPC\": 200, adjustable; no documented ceiling, so eksplain allows ten times the default",
};

pub const NODE_GROUPS: Limit = Limit {
    field: "managedNodeGroups",
    items: "managed node groups",
    holder: "a cluster has",
    max: 300,
    source: "EKS quota \"Managed node groups per cluster\": 30, adjustable; no documented ceiling, so eksplain allows ten times the default",
};

pub const NODE_GROUP_SUBNETS: Limit = Limit {
    field: "managedNodeGroups[].subnets",
    items: "subnets",
    holder: "a node group names",
    max: SUBNETS.max,
    source:
        "a node group's subnets are the VPC's: AWS quota \"Subnets per VPC\", as for vpc.subnets",
};

pub const NODE_GROUP_LABELS: Limit = Limit {
    field: "managedNodeGroups[].labels",
    items: "labels",
    holder: "a node group has",
    max: 50,
    source: "EKS CreateNodegroup: at most 50 labels, as for taints",
};

pub const NODE_GROUP_TAINTS: Limit = Limit {
    field: "managedNodeGroups[].taints",
    items: "taints",
    holder: "a node group has",
    max: 50,
    source: "EKS CreateNodegroup: \"Maximum of 50 taints per node group\"",
};

pub const NODES: Limit = Limit {
    field: "managedNodeGroups[].desiredCapacity",
    items: "nodes in all",
    holder: "a cluster has",
    max: MAX_NODES as usize,
    source: "Kubernetes scalability thresholds: \"No more than 5,000 nodes\"",
};

pub const NODE_STATES: Limit = Limit {
    field: "nodeStates",
    items: "node states",
    holder: "a cluster has",
    max: MAX_NODES as usize,
    source: "one per node; Kubernetes scalability thresholds: \"No more than 5,000 nodes\"",
};

pub const WORKLOADS: Limit = Limit {
    field: "workloads",
    items: "workloads",
    holder: "a cluster runs",
    max: 10_000,
    source: "Kubernetes scalability thresholds: 2,000 Deployments per namespace, no cluster-wide figure; eksplain allows as many as the Services threshold, 10,000",
};

pub const REPLICAS: Limit = Limit {
    field: "workloads[].replicas",
    items: "Deployment replicas in all",
    holder: "a cluster runs",
    max: MAX_PODS_TOTAL as usize,
    source: "Kubernetes scalability thresholds: \"No more than 150,000 total pods\"",
};

/// Labels, node selectors, tolerations and spread constraints of a pod: Kubernetes sets no
/// count; the EKS node group's 50 labels and taints are what a pod can usefully name.
const POD_LISTS: usize = 50;
const POD_LISTS_SOURCE: &str =
    "Kubernetes sets no count; a node group carries at most 50 labels and 50 taints (EKS CreateNodegroup), so 50 is all a pod can usefully name";

pub const WORKLOAD_LABELS: Limit = Limit {
    field: "workloads[].labels",
    items: "labels",
    holder: "a workload has",
    max: POD_LISTS,
    source: POD_LISTS_SOURCE,
};

pub const WORKLOAD_NODE_SELECTOR: Limit = Limit {
    field: "workloads[].nodeSelector",
    items: "node selector labels",
    holder: "a workload has",
    max: POD_LISTS,
    source: POD_LISTS_SOURCE,
};

pub const WORKLOAD_TOLERATIONS: Limit = Limit {
    field: "workloads[].tolerations",
    items: "tolerations",
    holder: "a workload has",
    max: POD_LISTS,
    source: POD_LISTS_SOURCE,
};

pub const WORKLOAD_SPREAD: Limit = Limit {
    field: "workloads[].topologySpreadConstraints",
    items: "topology spread constraints",
    holder: "a workload has",
    max: POD_LISTS,
    source: POD_LISTS_SOURCE,
};

pub const WORKLOAD_SECURITY_GROUPS: Limit = Limit {
    field: "workloads[].securityGroups",
    items: "security groups",
    holder: "a pod's branch ENI takes",
    max: 16,
    source: "AWS quota \"Security groups per network interface\": 5, adjustable up to 16",
};

pub const SERVICES: Limit = Limit {
    field: "services",
    items: "Services",
    holder: "a cluster has",
    max: 10_000,
    source: "Kubernetes scalability thresholds: 10,000 Services per cluster",
};

pub const SERVICE_PORTS: Limit = Limit {
    field: "services[].ports",
    items: "ports",
    holder: "a Service has",
    max: 100,
    source: "ELB quotas: each port of a LoadBalancer Service is a listener, at most 50 on a Network and 100 on a Classic Load Balancer; eksplain allows 100 on any Service",
};

pub const SERVICE_SELECTOR: Limit = Limit {
    field: "services[].selector",
    items: "selector labels",
    holder: "a Service has",
    max: POD_LISTS,
    source: "a selector names pod labels, at most 50 (see workloads[].labels)",
};

pub const INGRESSES: Limit = Limit {
    field: "ingresses",
    items: "Ingresses",
    holder: "a cluster has",
    max: 10_000,
    source: "Kubernetes lists no Ingress threshold; each routes to Services, so eksplain allows as many as the Services threshold, 10,000",
};

pub const INGRESS_RULES: Limit = Limit {
    field: "ingresses[].rules",
    items: "rules",
    holder: "an Ingress has",
    max: 100,
    source: "ELB quota \"Rules per Application Load Balancer\": 100, default rules not counted",
};

pub const SECURITY_GROUPS: Limit = Limit {
    field: "securityGroups",
    items: "security groups",
    holder: "a VPC has",
    max: 2_500,
    source: "AWS quota \"VPC security groups per Region\": 2,500",
};

pub const SECURITY_GROUP_RULES: Limit = Limit {
    field: "securityGroups[].ingress, securityGroups[].egress",
    items: "rules",
    holder: "a security group has, each way,",
    max: 1_000,
    source: "AWS quota \"Inbound (Outbound) rules per security group\": 60, adjustable; that quota times \"Security groups per network interface\" may not exceed 1,000",
};

pub const FLOWS: Limit = Limit {
    field: "flows",
    items: "flows",
    holder: "a scenario traces",
    max: 1_000,
    source: "eksplain's own limit (AWS has no such object): each flow is a trace a person reads",
};

pub const PUBLIC_ACCESS_CIDRS: Limit = Limit {
    field: "cluster.publicAccessCIDRs",
    items: "CIDR blocks",
    holder: "a cluster's public endpoint allows",
    max: 40,
    source: "EKS quota \"Public endpoint access CIDR ranges per cluster\": 40, not adjustable",
};

pub const CONTROL_PLANE_SUBNETS: Limit = Limit {
    field: "cluster.controlPlaneSubnets",
    items: "subnets",
    holder: "a cluster names",
    max: SUBNETS.max,
    source: "they are the VPC's subnets: AWS quota \"Subnets per VPC\", as for vpc.subnets",
};

pub const CUSTOM_NETWORKING: Limit = Limit {
    field: "cluster.vpcCni.customNetworking",
    items: "ENIConfigs",
    holder: "a cluster has",
    max: SUBNETS.max,
    source: "one per Availability Zone, each naming a subnet: AWS quota \"Subnets per VPC\", as for vpc.subnets",
};

/// Every count limit, in document order (`docs/limits.md` lists the same).
pub const ALL: [Limit; 26] = [
    SECONDARY_CIDRS,
    SUBNETS,
    NODE_GROUPS,
    NODE_GROUP_SUBNETS,
    NODE_GROUP_LABELS,
    NODE_GROUP_TAINTS,
    NODES,
    NODE_STATES,
    WORKLOADS,
    REPLICAS,
    WORKLOAD_LABELS,
    WORKLOAD_NODE_SELECTOR,
    WORKLOAD_TOLERATIONS,
    WORKLOAD_SPREAD,
    WORKLOAD_SECURITY_GROUPS,
    SERVICES,
    SERVICE_PORTS,
    SERVICE_SELECTOR,
    INGRESSES,
    INGRESS_RULES,
    SECURITY_GROUPS,
    SECURITY_GROUP_RULES,
    FLOWS,
    PUBLIC_ACCESS_CIDRS,
    CONTROL_PLANE_SUBNETS,
    CUSTOM_NETWORKING,
];

/// Checks every list's length, and the lengths of the strings that become paths or titles,
/// before anything looks at an item. One problem per field over its limit; `Err` means
/// nothing else should be checked.
pub fn check_counts(s: &Scenario) -> Result<(), Vec<Problem>> {
    let mut problems = Vec::new();
    let root = Path::root();
    let p = &mut problems;

    check_text(&root, "name", &s.name, SCENARIO_NAME_MAX, p);
    check_text(&root, "description", &s.description, DESCRIPTION_MAX, p);
    let vpc = root.field("vpc");
    SECONDARY_CIDRS.check(
        || vpc.field("secondaryCidrs"),
        s.vpc.secondary_cidrs.len(),
        p,
    );
    SUBNETS.check(|| vpc.field("subnets"), s.vpc.subnets.len(), p);

    let cluster = root.field("cluster");
    check_text(&cluster, "name", &s.cluster.name, CLUSTER_NAME_MAX, p);
    PUBLIC_ACCESS_CIDRS.check(
        || cluster.field("publicAccessCIDRs"),
        s.cluster.public_access_cidrs.len(),
        p,
    );
    CONTROL_PLANE_SUBNETS.check(
        || cluster.field("controlPlaneSubnets"),
        s.cluster.control_plane_subnets.len(),
        p,
    );
    let cni = &s.cluster.vpc_cni.custom_networking;
    let cni_path = || cluster.field("vpcCni").field("customNetworking");
    CUSTOM_NETWORKING.check(cni_path, cni.len(), p);
    check_keys(cni_path, cni.keys(), DNS_LABEL_MAX, p);

    let groups = root.field("managedNodeGroups");
    NODE_GROUPS.check(|| groups.clone(), s.managed_node_groups.len(), p);
    if s.managed_node_groups.len() <= NODE_GROUPS.max {
        let mut nodes: u64 = 0;
        for (i, g) in s.managed_node_groups.iter().enumerate() {
            let at = || groups.index(i);
            nodes += u64::from(g.desired_capacity);
            NODE_GROUP_SUBNETS.check(|| at().field("subnets"), g.subnets.len(), p);
            NODE_GROUP_LABELS.check(|| at().field("labels"), g.labels.len(), p);
            check_keys(|| at().field("labels"), g.labels.keys(), LABEL_KEY_MAX, p);
            NODE_GROUP_TAINTS.check(|| at().field("taints"), g.taints.len(), p);
        }
        if nodes > NODES.max as u64 {
            // Counted, not listed: one problem for the whole list.
            p.push(Problem::new(
                groups.clone(),
                format!(
                    "{} nodes in all (desiredCapacity summed); a cluster has at most {} ({})",
                    thousands(nodes),
                    thousands(NODES.max as u64),
                    NODES.source
                ),
            ));
        }
    }
    NODE_STATES.check(|| root.field("nodeStates"), s.node_states.len(), p);
    check_keys(
        || root.field("nodeStates"),
        s.node_states.keys(),
        DNS_SUBDOMAIN_MAX,
        p,
    );

    let workloads = root.field("workloads");
    WORKLOADS.check(|| workloads.clone(), s.workloads.len(), p);
    if s.workloads.len() <= WORKLOADS.max {
        let mut replicas: u64 = 0;
        for (i, w) in s.workloads.iter().enumerate() {
            let at = || workloads.index(i);
            if w.kind == super::document::WorkloadKind::Deployment {
                replicas += u64::from(w.replicas);
            }
            WORKLOAD_LABELS.check(|| at().field("labels"), w.labels.len(), p);
            check_keys(|| at().field("labels"), w.labels.keys(), LABEL_KEY_MAX, p);
            WORKLOAD_NODE_SELECTOR.check(|| at().field("nodeSelector"), w.node_selector.len(), p);
            check_keys(
                || at().field("nodeSelector"),
                w.node_selector.keys(),
                LABEL_KEY_MAX,
                p,
            );
            WORKLOAD_TOLERATIONS.check(|| at().field("tolerations"), w.tolerations.len(), p);
            WORKLOAD_SPREAD.check(
                || at().field("topologySpreadConstraints"),
                w.topology_spread_constraints.len(),
                p,
            );
            WORKLOAD_SECURITY_GROUPS.check(
                || at().field("securityGroups"),
                w.security_groups.len(),
                p,
            );
        }
        if replicas > REPLICAS.max as u64 {
            p.push(Problem::new(
                workloads.clone(),
                format!(
                    "{} Deployment replicas in all; a cluster runs at most {} pods ({})",
                    thousands(replicas),
                    thousands(REPLICAS.max as u64),
                    REPLICAS.source
                ),
            ));
        }
    }

    let services = root.field("services");
    SERVICES.check(|| services.clone(), s.services.len(), p);
    if s.services.len() <= SERVICES.max {
        for (i, svc) in s.services.iter().enumerate() {
            let at = || services.index(i);
            SERVICE_PORTS.check(|| at().field("ports"), svc.ports.len(), p);
            SERVICE_SELECTOR.check(|| at().field("selector"), svc.selector.len(), p);
            check_keys(
                || at().field("selector"),
                svc.selector.keys(),
                LABEL_KEY_MAX,
                p,
            );
        }
    }

    let ingresses = root.field("ingresses");
    INGRESSES.check(|| ingresses.clone(), s.ingresses.len(), p);
    if s.ingresses.len() <= INGRESSES.max {
        for (i, ing) in s.ingresses.iter().enumerate() {
            INGRESS_RULES.check(|| ingresses.index(i).field("rules"), ing.rules.len(), p);
        }
    }

    let groups = root.field("securityGroups");
    SECURITY_GROUPS.check(|| groups.clone(), s.security_groups.len(), p);
    if s.security_groups.len() <= SECURITY_GROUPS.max {
        for (i, g) in s.security_groups.iter().enumerate() {
            SECURITY_GROUP_RULES.check(|| groups.index(i).field("ingress"), g.ingress.len(), p);
            let egress = g.egress.as_ref().map_or(0, Vec::len);
            SECURITY_GROUP_RULES.check(|| groups.index(i).field("egress"), egress, p);
        }
    }

    FLOWS.check(|| root.field("flows"), s.flows.len(), p);

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// A free-text field over its length: named by its length, never repeated.
fn check_text(parent: &Path, name: &str, text: &str, max: usize, problems: &mut Vec<Problem>) {
    let chars = text.chars().count();
    if chars > max {
        problems.push(Problem::new(
            parent.field(name),
            format!(
                "{} characters; at most {} here",
                thousands(chars as u64),
                thousands(max as u64)
            ),
        ));
    }
}

/// Map keys become parts of problem paths (`workloads[0].labels.<key>`): a key too long to
/// be valid is reported once for its map (at `map()`, made only then), without repeating it.
fn check_keys<'a>(
    map: impl FnOnce() -> Path,
    keys: impl Iterator<Item = &'a String>,
    max: usize,
    problems: &mut Vec<Problem>,
) {
    let mut long = 0usize;
    let mut longest = 0usize;
    for key in keys {
        if key.len() > max {
            long += 1;
            longest = longest.max(key.len());
        }
    }
    if long > 0 {
        problems.push(Problem::new(
            map(),
            format!(
                "{} key{} longer than {} bytes (the longest is {}); no valid key is that long",
                thousands(long as u64),
                if long == 1 { " is" } else { "s are" },
                max,
                thousands(longest as u64)
            ),
        ));
    }
}

/// How deeply a JSON text nests, counted without parsing (brackets outside strings), so a
/// document nested past [`MAX_DEPTH`] is refused before the parser recurses into it.
pub fn check_json_depth(text: &str) -> Result<(), Problem> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(depth_problem());
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Checks an already parsed tree (JSON, or YAML read into one) before it is read as a
/// scenario: its nesting ([`MAX_DEPTH`]) and the length of every string and key
/// ([`MAX_STRING_CHARS`], the root's `description` [`DESCRIPTION_MAX`]). Messages quote what
/// the user wrote, so no string may be long enough to make a message huge. Walked without
/// recursion; over-long strings are one problem, naming the first and counting the others.
pub fn check_value(value: &serde_json::Value) -> Result<(), Problem> {
    use serde_json::Value;
    let too_long = |text: &str, max: usize| text.len() > max && text.chars().count() > max;
    let mut long = 0usize;
    let mut stack: Vec<(&Value, usize, bool)> = vec![(value, 0, false)];
    while let Some((v, depth, is_description)) = stack.pop() {
        match v {
            Value::String(text) => {
                let max = if is_description {
                    DESCRIPTION_MAX
                } else {
                    MAX_STRING_CHARS
                };
                if too_long(text, max) {
                    long += 1;
                }
            }
            Value::Array(items) => {
                if depth + 1 > MAX_DEPTH {
                    return Err(depth_problem());
                }
                stack.extend(items.iter().map(|c| (c, depth + 1, false)));
            }
            Value::Object(map) => {
                if depth + 1 > MAX_DEPTH {
                    return Err(depth_problem());
                }
                for (key, child) in map {
                    if too_long(key, MAX_STRING_CHARS) {
                        long += 1;
                    }
                    stack.push((child, depth + 1, depth == 0 && key == "description"));
                }
            }
            _ => {}
        }
    }
    if long == 0 {
        return Ok(());
    }
    // Found: walk again, in document order, for the first one's path.
    let path = first_long_string(value).unwrap_or_else(Path::root);
    Err(Problem::new(
        path,
        format!(
            "{} string{} longer than {} characters (this is the first); no value of a \
             scenario is that long{}",
            thousands(long as u64),
            if long == 1 { " is" } else { "s are" },
            thousands(MAX_STRING_CHARS as u64),
            if long == 1 {
                ""
            } else {
                " — the others are not listed"
            }
        ),
    ))
}

/// The longest string a scenario holds, but for its description: a label key is 317.
pub const MAX_STRING_CHARS: usize = 1_024;

/// The path of the first over-long string or key, in document order.
fn first_long_string(value: &serde_json::Value) -> Option<Path> {
    use serde_json::Value;
    let too_long =
        |text: &str| text.len() > MAX_STRING_CHARS && text.chars().count() > MAX_STRING_CHARS;
    let mut stack: Vec<(&Value, Path)> = vec![(value, Path::root())];
    while let Some((v, path)) = stack.pop() {
        match v {
            Value::String(text) if too_long(text) => return Some(path),
            Value::Array(items) => {
                stack.extend(
                    items
                        .iter()
                        .enumerate()
                        .rev()
                        .map(|(i, c)| (c, path.index(i))),
                );
            }
            Value::Object(map) => {
                let mut children = Vec::with_capacity(map.len());
                for (key, child) in map {
                    if too_long(key) {
                        return Some(path);
                    }
                    if !(path == Path::root() && key == "description") {
                        children.push((child, path.field(key)));
                    }
                }
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    None
}

fn depth_problem() -> Problem {
    Problem::new(
        Path::root(),
        format!(
            "the document nests more than {MAX_DEPTH} levels deep; a scenario nests at most 5 \
             (securityGroups[0].ingress[0].from)"
        ),
    )
}

/// `12,345`: counts in messages are read by people.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, from_json, Flow};

    #[test]
    fn the_default_and_largest_benchmark_scenarios_are_within_every_limit() {
        assert_eq!(check_counts(&default_scenario()), Ok(()));
        // Kubernetes' tested limits: 5,000 nodes, 150,000 pods.
        assert_eq!(
            check_counts(&crate::scenario::scale_scenario(5_000)),
            Ok(())
        );
    }

    #[test]
    fn one_problem_per_field_with_count_limit_and_source() {
        let mut s = default_scenario();
        s.vpc.secondary_cidrs = vec!["100.64.0.0/16".into(); 2_000];
        s.flows = vec![
            Flow {
                from: "internet".into(),
                to: "kubectl".into()
            };
            1_001
        ];
        let problems = check_counts(&s).unwrap_err();
        let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            texts,
            vec![
                "vpc.secondaryCidrs: 2,000 secondary CIDR blocks; a VPC holds at most 49 (AWS quota \
                 \"IPv4 CIDR blocks per VPC\": 5, adjustable up to 50, the primary CIDR included)",
                "flows: 1,001 flows; a scenario traces at most 1,000 (eksplain's own limit (AWS has \
                 no such object): each flow is a trace a person reads)",
            ]
        );
    }

    #[test]
    fn limits_are_inclusive() {
        let mut s = default_scenario();
        s.vpc.secondary_cidrs = vec!["100.64.0.0/16".into(); 49];
        s.cluster.public_access_cidrs = vec!["0.0.0.0/0".into(); 40];
        assert_eq!(check_counts(&s), Ok(()));
        s.cluster.public_access_cidrs.push("1.2.3.4/32".into());
        let problems = check_counts(&s).unwrap_err();
        assert_eq!(problems[0].path.as_str(), "cluster.publicAccessCIDRs");
    }

    #[test]
    fn totals_are_summed_without_overflow() {
        let mut s = default_scenario();
        let group = s.managed_node_groups[0].clone();
        s.managed_node_groups = vec![group; 300];
        for g in &mut s.managed_node_groups {
            g.desired_capacity = u32::MAX;
        }
        let problems = check_counts(&s).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path.as_str(), "managedNodeGroups");
        assert!(problems[0]
            .message
            .starts_with("1,288,490,188,500 nodes in all"));
    }

    #[test]
    fn long_keys_and_names_are_counted_not_repeated() {
        let mut s = default_scenario();
        s.managed_node_groups[0]
            .labels
            .insert("k".repeat(10_000), "v".into());
        s.name = "n".repeat(1_000);
        let problems = check_counts(&s).unwrap_err();
        assert!(problems.iter().all(|p| p.to_string().len() < 300));
        assert_eq!(problems[0].path.as_str(), "name");
        assert_eq!(problems[1].path.as_str(), "managedNodeGroups[0].labels");
    }

    #[test]
    fn deep_documents_are_refused_before_parsing() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let problems = from_json(&deep).unwrap_err();
        assert!(problems[0].message.contains("nests more than 16 levels"));
        // Brackets inside strings do not count.
        assert_eq!(
            check_json_depth(r#"{"a": "[[[[[[[[[[[[[[[[[[[[[[[\"[["}"#),
            Ok(())
        );
        let value: serde_json::Value =
            serde_json::from_str(&format!("{}{}", "[".repeat(20), "]".repeat(20))).unwrap();
        assert!(check_value(&value).is_err());
        assert!(check_value(&serde_json::json!({"a": [1, {"b": 2}]})).is_ok());
    }

    #[test]
    fn long_strings_are_one_problem_naming_the_first() {
        let long = "x".repeat(MAX_STRING_CHARS + 1);
        let mut doc = serde_json::to_value(default_scenario()).unwrap();
        doc["description"] = serde_json::json!("d".repeat(DESCRIPTION_MAX));
        assert_eq!(check_value(&doc), Ok(()));
        doc["vpc"]["subnets"][2]["az"] = serde_json::json!(long);
        doc["vpc"]["subnets"][4]["name"] = serde_json::json!(long);
        doc["workloads"] = serde_json::json!([{ long.clone(): 1 }]);
        let problem = check_value(&doc).unwrap_err();
        assert_eq!(problem.path.as_str(), "vpc.subnets[2].az");
        assert!(problem
            .message
            .starts_with("3 strings are longer than 1,024 characters"));
        assert!(problem.to_string().len() < 200);
        // Through the parser: refused before any field is read.
        let text = serde_json::to_string(&doc).unwrap();
        assert_eq!(from_json(&text).unwrap_err()[0], problem);
    }

    #[test]
    fn thousands_groups_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn docs_list_every_limit() {
        let doc = include_str!("../../docs/limits.md");
        for limit in ALL {
            let line = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}`", limit.field)))
                .unwrap_or_else(|| panic!("docs/limits.md has no row for {}", limit.field));
            assert!(
                line.contains(&format!("| {} |", thousands(limit.max as u64))),
                "docs/limits.md gives another limit for {}: {line}",
                limit.field
            );
        }
    }
}
