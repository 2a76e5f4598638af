//! AWS CLI JSON: `aws ec2 describe-vpcs`, `describe-subnets`, `describe-route-tables`,
//! `describe-nat-gateways`, `aws eks describe-cluster` and `describe-nodegroup`, each in its
//! own document or several keys of one.
//!
//! Reading first collects every output into an [`Index`] (so their order does not matter),
//! then [`apply`] writes the VPC, its subnets, the NAT gateways, the cluster and its node
//! groups into the draft. The index also resolves the ids the ClusterConfig names.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Draft, NoteKind};
use crate::scenario::{
    limits, IpFamily, NatGatewayMode, NodeGroup, Path, Problem, Subnet, Taint, TaintEffect,
};

/// A VPC from `describe-vpcs`.
#[derive(Debug, Clone)]
pub struct AwsVpc {
    pub id: String,
    pub cidr: String,
    pub secondary: Vec<String>,
}

/// A subnet from `describe-subnets`.
#[derive(Debug, Clone)]
pub struct AwsSubnet {
    pub id: String,
    pub vpc_id: String,
    pub az: String,
    pub cidr: String,
    /// Its `Name` tag.
    pub name_tag: Option<String>,
    /// The tags the load balancer controllers choose subnets by (`kubernetes.io/role/elb`,
    /// `kubernetes.io/role/internal-elb`, `kubernetes.io/cluster/<name>`).
    pub lb_tags: std::collections::BTreeMap<String, String>,
    pub map_public_ip: bool,
    /// Where it was read (`subnets.json#1 Subnets[2]`).
    pub source: String,
}

/// A route table from `describe-route-tables`, reduced to what decides "public".
#[derive(Debug, Clone)]
struct AwsRouteTable {
    vpc_id: String,
    subnets: Vec<String>,
    main: bool,
    /// Sends 0.0.0.0/0 to an internet gateway (`igw-…`).
    to_internet_gateway: bool,
}

/// A NAT gateway from `describe-nat-gateways`.
#[derive(Debug, Clone)]
struct AwsNat {
    subnet_id: String,
    state: String,
}

/// Every AWS CLI output read, by kind.
#[derive(Debug, Clone, Default)]
pub struct Index {
    vpcs: Vec<AwsVpc>,
    subnets: Vec<AwsSubnet>,
    route_tables: Option<Vec<AwsRouteTable>>,
    nat_gateways: Option<Vec<AwsNat>>,
    /// `describe-cluster`'s `cluster`, and where it was read.
    cluster: Option<(Value, String)>,
    nodegroups: Vec<(Value, String)>,
    /// Subnet id → its place in `subnets`.
    subnet_at: BTreeMap<String, usize>,
}

/// The most entries of one kind read (an input past it is a problem, not a long wait): the
/// scenario's own limit on subnets, which no real VPC reaches.
const MAX_ENTRIES: usize = limits::SUBNETS.max;

impl Index {
    /// No AWS CLI output was read.
    pub fn is_empty(&self) -> bool {
        self.vpcs.is_empty()
            && self.subnets.is_empty()
            && self.route_tables.is_none()
            && self.nat_gateways.is_none()
            && self.cluster.is_none()
            && self.nodegroups.is_empty()
    }

    /// The VPC with this id.
    pub fn vpc(&self, id: &str) -> Option<&AwsVpc> {
        self.vpcs.iter().find(|v| v.id == id)
    }

    /// The subnet with this id.
    pub fn subnet(&self, id: &str) -> Option<&AwsSubnet> {
        self.subnet_at.get(id).map(|&i| &self.subnets[i])
    }

    /// The Region the output is from: the cluster's ARN, else a subnet's AZ.
    pub fn region(&self) -> Option<String> {
        let from_arn = self
            .cluster
            .as_ref()
            .and_then(|(c, _)| c.get("arn"))
            .and_then(Value::as_str)
            .and_then(|arn| arn.split(':').nth(3))
            .filter(|r| !r.is_empty())
            .map(str::to_string);
        from_arn.or_else(|| {
            let az = &self.subnets.first()?.az;
            Some(
                az.trim_end_matches(|c: char| c.is_ascii_lowercase())
                    .to_string(),
            )
        })
    }

    /// Reads one AWS CLI document (any of the keys it knows).
    pub fn read(&mut self, doc: &Value, source: &str, draft: &mut Draft) {
        let Some(object) = doc.as_object() else {
            return;
        };
        for (key, value) in object {
            let at = format!("{source} {key}");
            let too_many = value.as_array().is_some_and(|a| a.len() > MAX_ENTRIES)
                || self.subnets.len() + self.vpcs.len() + self.nodegroups.len() > MAX_ENTRIES;
            if too_many {
                draft.problems.push(Problem::new(
                    Path::from(at.as_str()),
                    format!("more than {MAX_ENTRIES} entries; eksplain reads at most {MAX_ENTRIES} of a kind"),
                ));
                continue;
            }
            match key.as_str() {
                "Vpcs" => each(value, |i, v| {
                    if let Some(vpc) = read_vpc(v) {
                        self.vpcs.push(vpc);
                    } else {
                        bad(draft, &format!("{at}[{i}]"), "VpcId and CidrBlock");
                    }
                }),
                "Subnets" => each(value, |i, v| {
                    if let Some(subnet) = read_subnet(v, format!("{at}[{i}]")) {
                        self.subnet_at
                            .entry(subnet.id.clone())
                            .or_insert(self.subnets.len());
                        self.subnets.push(subnet);
                    } else {
                        bad(
                            draft,
                            &format!("{at}[{i}]"),
                            "SubnetId, VpcId, AvailabilityZone and CidrBlock",
                        );
                    }
                }),
                "RouteTables" => {
                    let tables = self.route_tables.get_or_insert_with(Vec::new);
                    each(value, |_, v| tables.push(read_route_table(v)));
                }
                "NatGateways" => {
                    let nats = self.nat_gateways.get_or_insert_with(Vec::new);
                    each(value, |_, v| {
                        nats.push(AwsNat {
                            subnet_id: string(v, "SubnetId").unwrap_or_default(),
                            state: string(v, "State").unwrap_or_default(),
                        })
                    });
                }
                "cluster" if value.is_object() => {
                    if let Some((_, first)) = &self.cluster {
                        draft.problems.push(Problem::new(
                            Path::from(at.as_str()),
                            format!("a second describe-cluster output (the first is in {first}); import one cluster at a time"),
                        ));
                    } else {
                        self.cluster = Some((value.clone(), at));
                    }
                }
                "nodegroup" if value.is_object() => self.nodegroups.push((value.clone(), at)),
                "NextToken" => {}
                _ => draft.note(
                    NoteKind::Ignored,
                    at,
                    "not an AWS CLI output eksplain reads",
                ),
            }
        }
    }

    /// Whether each subnet routes 0.0.0.0/0 to an internet gateway: through the route table
    /// associated with it, else its VPC's main route table. `None` without route tables.
    fn publics(&self) -> Option<Publics<'_>> {
        let tables = self.route_tables.as_ref()?;
        let mut by_subnet = BTreeMap::new();
        let mut main = BTreeMap::new();
        for t in tables.iter().rev() {
            for s in &t.subnets {
                by_subnet.insert(s.as_str(), t.to_internet_gateway);
            }
            if t.main {
                main.insert(t.vpc_id.as_str(), t.to_internet_gateway);
            }
        }
        Some(Publics { by_subnet, main })
    }
}

/// What the route tables say of each subnet: by association, else the VPC's main table.
struct Publics<'a> {
    by_subnet: BTreeMap<&'a str, bool>,
    main: BTreeMap<&'a str, bool>,
}

impl Publics<'_> {
    fn of(&self, subnet: &AwsSubnet) -> Option<bool> {
        self.by_subnet
            .get(subnet.id.as_str())
            .or_else(|| self.main.get(subnet.vpc_id.as_str()))
            .copied()
    }
}

/// Calls `f` on each element of a JSON array.
fn each(value: &Value, mut f: impl FnMut(usize, &Value)) {
    if let Some(items) = value.as_array() {
        for (i, v) in items.iter().enumerate() {
            f(i, v);
        }
    }
}

fn bad(draft: &mut Draft, at: &str, needs: &str) {
    draft.note(
        NoteKind::Ignored,
        at,
        format!("left out: it lacks one of {needs}"),
    );
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn read_vpc(v: &Value) -> Option<AwsVpc> {
    let id = string(v, "VpcId")?;
    let cidr = string(v, "CidrBlock")?;
    let mut secondary = Vec::new();
    each(
        v.get("CidrBlockAssociationSet").unwrap_or(&Value::Null),
        |_, a| {
            let state = a.pointer("/CidrBlockState/State").and_then(Value::as_str);
            if let Some(c) = string(a, "CidrBlock") {
                if c != cidr && state.is_none_or(|s| s == "associated") {
                    secondary.push(c);
                }
            }
        },
    );
    Some(AwsVpc {
        id,
        cidr,
        secondary,
    })
}

fn read_subnet(v: &Value, source: String) -> Option<AwsSubnet> {
    Some(AwsSubnet {
        id: string(v, "SubnetId")?,
        vpc_id: string(v, "VpcId")?,
        az: string(v, "AvailabilityZone")?,
        cidr: string(v, "CidrBlock")?,
        name_tag: name_tag(v),
        lb_tags: lb_tags(v),
        map_public_ip: v
            .get("MapPublicIpOnLaunch")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        source,
    })
}

/// The tags the AWS Load Balancer Controller and the in-tree provider read to pick a load
/// balancer's subnets (aws-load-balancer-controller `docs/deploy/subnet_discovery.md`); the
/// others say nothing about the network and are left out. Tags past EC2's own length limits
/// (128 / 256 characters) cannot be real and are left out too.
fn lb_tags(v: &Value) -> std::collections::BTreeMap<String, String> {
    let Some(tags) = v.get("Tags").and_then(Value::as_array) else {
        return Default::default();
    };
    tags.iter()
        .filter_map(|t| Some((string(t, "Key")?, string(t, "Value").unwrap_or_default())))
        .filter(|(k, v)| {
            (k == "kubernetes.io/role/elb"
                || k == "kubernetes.io/role/internal-elb"
                || k.starts_with("kubernetes.io/cluster/"))
                && k.chars().count() <= 128
                && v.chars().count() <= 256
        })
        .collect()
}

/// The value of the `Name` tag (`Tags: [{Key, Value}]`), when not empty, as a scenario name:
/// characters a name may not hold (`/`, blanks) become `-`, and it is cut to 63 bytes
/// (`eksctl-prod-cluster/SubnetPublicUSEAST1A` → `eksctl-prod-cluster-SubnetPublicUSEAST1A`).
fn name_tag(v: &Value) -> Option<String> {
    let tag = v
        .get("Tags")?
        .as_array()?
        .iter()
        .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
        .and_then(|t| string(t, "Value"))?;
    let name: String = tag
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .take(crate::scenario::limits::DNS_LABEL_MAX)
        .collect();
    (!name.is_empty()).then_some(name)
}

fn read_route_table(v: &Value) -> AwsRouteTable {
    let mut subnets = Vec::new();
    let mut main = false;
    each(v.get("Associations").unwrap_or(&Value::Null), |_, a| {
        if a.get("Main").and_then(Value::as_bool) == Some(true) {
            main = true;
        }
        if let Some(s) = string(a, "SubnetId") {
            subnets.push(s);
        }
    });
    let mut to_internet_gateway = false;
    each(v.get("Routes").unwrap_or(&Value::Null), |_, r| {
        let default = r.get("DestinationCidrBlock").and_then(Value::as_str) == Some("0.0.0.0/0");
        let igw = r
            .get("GatewayId")
            .and_then(Value::as_str)
            .is_some_and(|g| g.starts_with("igw-"));
        if default && igw {
            to_internet_gateway = true;
        }
    });
    AwsRouteTable {
        vpc_id: string(v, "VpcId").unwrap_or_default(),
        subnets,
        main,
        to_internet_gateway,
    }
}

/// The command whose output would resolve an id of this kind.
pub fn resolving_command(id: &str) -> &'static str {
    if id.starts_with("vpc-") {
        "add `aws ec2 describe-vpcs` output for its CIDR"
    } else {
        "add `aws ec2 describe-subnets` output for its CIDR and AZ"
    }
}

/// Writes what the index holds into the draft.
pub fn apply(index: &Index, draft: &mut Draft) {
    if index.is_empty() {
        return;
    }
    let vpc_id = chosen_vpc(index, draft);
    apply_vpc(index, vpc_id.as_deref(), draft);
    if let Some((cluster, at)) = &index.cluster {
        apply_cluster(cluster, at, draft);
    }
    for (ng, at) in &index.nodegroups {
        apply_nodegroup(ng, at, draft);
    }
}

/// The VPC the scenario draws: the cluster's, else the only one given, else the subnets'.
fn chosen_vpc(index: &Index, draft: &mut Draft) -> Option<String> {
    if let Some(id) = index
        .cluster
        .as_ref()
        .and_then(|(c, _)| c.pointer("/resourcesVpcConfig/vpcId"))
        .and_then(Value::as_str)
    {
        return Some(id.to_string());
    }
    let mut ids: BTreeSet<&str> = index.vpcs.iter().map(|v| v.id.as_str()).collect();
    if ids.is_empty() {
        ids = index.subnets.iter().map(|s| s.vpc_id.as_str()).collect();
    }
    let first = index
        .vpcs
        .first()
        .map(|v| v.id.as_str())
        .or_else(|| index.subnets.first().map(|s| s.vpc_id.as_str()))?;
    if ids.len() > 1 {
        let others: Vec<&str> = ids.iter().copied().filter(|i| *i != first).collect();
        draft.note(
            NoteKind::Ignored,
            "vpc",
            format!(
                "the AWS CLI output holds {} VPCs; eksplain draws {first}, not {} (add describe-cluster output to pick the cluster's)",
                ids.len(),
                others.join(", ")
            ),
        );
    }
    Some(first.to_string())
}

fn apply_vpc(index: &Index, vpc_id: Option<&str>, draft: &mut Draft) {
    let in_vpc: Vec<&AwsSubnet> = index
        .subnets
        .iter()
        .filter(|s| vpc_id.is_none_or(|v| s.vpc_id == v))
        .collect();
    match vpc_id.and_then(|id| index.vpc(id)) {
        Some(vpc) => {
            draft.scenario.vpc.cidr = vpc.cidr.clone();
            draft.scenario.vpc.secondary_cidrs = vpc.secondary.clone();
        }
        None => {
            if let Some(id) = vpc_id {
                let stand_in = in_vpc.first().and_then(|s| covering_16(&s.cidr));
                let meanwhile = match &stand_in {
                    Some(c) => format!("; {c} (the /16 around its first subnet) stands in"),
                    None => String::new(),
                };
                draft.note(
                    NoteKind::Unresolved,
                    "vpc.cidr",
                    format!("{id} is an ID; {}{meanwhile}", resolving_command(id)),
                );
                if let Some(c) = stand_in {
                    draft.scenario.vpc.cidr = c;
                }
            }
        }
    }
    // Names: the Name tag, else the id; a Name two subnets share gives way to the ids.
    let mut tag_count: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &in_vpc {
        if let Some(n) = &s.name_tag {
            *tag_count.entry(n.as_str()).or_default() += 1;
        }
    }
    let mut unknown_public = false;
    let publics = index.publics();
    let mut subnets: Vec<Subnet> = Vec::new();
    for s in &in_vpc {
        let name = match &s.name_tag {
            Some(n) if tag_count.get(n.as_str()) == Some(&1) => n.clone(),
            _ => s.id.clone(),
        };
        let public = match publics.as_ref().and_then(|p| p.of(s)) {
            Some(p) => p,
            None => {
                unknown_public = true;
                s.map_public_ip
            }
        };
        draft.subnet_ids.insert(s.id.clone(), name.clone());
        subnets.push(Subnet {
            tags: s.lb_tags.clone(),
            name,
            az: s.az.clone(),
            cidr: s.cidr.clone(),
            public,
        });
    }
    if unknown_public {
        draft.note(
            NoteKind::Unresolved,
            "vpc.subnets[*].public",
            "no route table says which subnets route 0.0.0.0/0 to an internet gateway; \
             MapPublicIpOnLaunch stands in; add `aws ec2 describe-route-tables` output",
        );
    }
    // Public subnets first, then by AZ, as eksctl lays them out.
    subnets.sort_by(|a, b| (!a.public, &a.az).cmp(&(!b.public, &b.az)));
    draft.scenario.vpc.subnets = subnets;
    let has_public = draft.scenario.vpc.subnets.iter().any(|s| s.public);
    if index.nat_gateways.is_none() && !in_vpc.is_empty() {
        let (mode, stand_in) = if has_public {
            (NatGatewayMode::Single, "Single stands in")
        } else {
            (NatGatewayMode::Disable, "no public subnet, so none")
        };
        draft.scenario.vpc.nat_gateways = mode;
        draft.note(
            NoteKind::Unresolved,
            "vpc.natGateways",
            format!("no describe-nat-gateways output; {stand_in}; add `aws ec2 describe-nat-gateways` output"),
        );
    }
    if let Some(nats) = &index.nat_gateways {
        let subnet_az: BTreeMap<&str, &str> = in_vpc
            .iter()
            .map(|s| (s.id.as_str(), s.az.as_str()))
            .collect();
        let nat_azs: BTreeSet<&str> = nats
            .iter()
            .filter(|n| matches!(n.state.as_str(), "available" | "pending" | ""))
            .filter_map(|n| subnet_az.get(n.subnet_id.as_str()).copied())
            .collect();
        let public_azs: BTreeSet<&str> = draft
            .scenario
            .vpc
            .subnets
            .iter()
            .filter(|s| s.public)
            .map(|s| s.az.as_str())
            .collect();
        draft.scenario.vpc.nat_gateways = match nat_azs.len() {
            0 => NatGatewayMode::Disable,
            n if n > 1 && n >= public_azs.len() => NatGatewayMode::HighlyAvailable,
            _ => NatGatewayMode::Single,
        };
    }
}

/// The /16 that holds `cidr`.
fn covering_16(cidr: &str) -> Option<String> {
    let net: ipnet::Ipv4Net = cidr.parse().ok()?;
    let wide = ipnet::Ipv4Net::new(net.network(), 16).ok()?.trunc();
    Some(wide.to_string())
}

/// The scenario's name of a subnet id, or an unresolved note at `at`.
fn subnet_name(id: &str, at: &str, draft: &mut Draft) -> Option<String> {
    if let Some(name) = draft.subnet_ids.get(id) {
        return Some(name.clone());
    }
    draft.note(
        NoteKind::Unresolved,
        at,
        format!("{id} is an ID; {}", resolving_command(id)),
    );
    None
}

fn apply_cluster(cluster: &Value, at: &str, draft: &mut Draft) {
    let spec = &mut draft.scenario.cluster;
    if let Some(name) = cluster.get("name").and_then(Value::as_str) {
        spec.name = name.to_string();
    }
    let vpc = cluster.get("resourcesVpcConfig").unwrap_or(&Value::Null);
    if let Some(p) = vpc.get("endpointPublicAccess").and_then(Value::as_bool) {
        spec.cluster_endpoints.public_access = p;
    }
    if let Some(p) = vpc.get("endpointPrivateAccess").and_then(Value::as_bool) {
        spec.cluster_endpoints.private_access = p;
    }
    if let Some(cidrs) = vpc.get("publicAccessCidrs").and_then(Value::as_array) {
        spec.public_access_cidrs = cidrs
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect();
    }
    let network = cluster
        .get("kubernetesNetworkConfig")
        .unwrap_or(&Value::Null);
    // describe-cluster writes `serviceIpv4Cidr` (the ClusterConfig says `serviceIPv4CIDR`).
    if let Some(c) = network
        .get("serviceIpv4Cidr")
        .or_else(|| network.get("serviceIPv4CIDR"))
        .and_then(Value::as_str)
    {
        spec.service_ipv4_cidr = Some(c.to_string());
    }
    // An IPv6 cluster's unique-local range, which EKS chose and the model would otherwise
    // stand in for.
    if let Some(c) = network.get("serviceIpv6Cidr").and_then(Value::as_str) {
        spec.service_ipv6_cidr = Some(c.to_string());
    }
    if let Some(f) = network.get("ipFamily").and_then(Value::as_str) {
        match f.to_ascii_lowercase().as_str() {
            "ipv4" => spec.ip_family = IpFamily::IPv4,
            "ipv6" => spec.ip_family = IpFamily::IPv6,
            _ => draft.problems.push(Problem::new(
                Path::from(format!("{at}.kubernetesNetworkConfig.ipFamily").as_str()),
                format!("`{}` is neither ipv4 nor ipv6", f.escape_default()),
            )),
        }
    }
    let mut control_plane = Vec::new();
    if let Some(ids) = vpc.get("subnetIds").and_then(Value::as_array) {
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id.as_str() else { continue };
            let path = format!("{at}.resourcesVpcConfig.subnetIds[{i}]");
            if let Some(name) = subnet_name(id, &path, draft) {
                control_plane.push(name);
            }
        }
    }
    if !control_plane.is_empty() {
        draft.scenario.cluster.control_plane_subnets = control_plane;
    }
}

fn apply_nodegroup(ng: &Value, at: &str, draft: &mut Draft) {
    let name = ng
        .get("nodegroupName")
        .and_then(Value::as_str)
        .unwrap_or("nodegroup")
        .to_string();
    let instance_type = match ng
        .get("instanceTypes")
        .and_then(Value::as_array)
        .and_then(|t| t.first())
        .and_then(Value::as_str)
    {
        Some(t) => t.to_string(),
        None => {
            draft.note(
                NoteKind::Default,
                format!("{at}.instanceTypes"),
                "absent (a launch template's) → m5.large, eksctl's default, stands in",
            );
            "m5.large".to_string()
        }
    };
    let desired = ng
        .pointer("/scalingConfig/desiredSize")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
        .unwrap_or(1);
    let mut subnets = Vec::new();
    if let Some(ids) = ng.get("subnets").and_then(Value::as_array) {
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id.as_str() else { continue };
            if let Some(n) = subnet_name(id, &format!("{at}.subnets[{i}]"), draft) {
                subnets.push(n);
            }
        }
    }
    let labels = ng
        .get("labels")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    let mut taints = Vec::new();
    each(ng.get("taints").unwrap_or(&Value::Null), |i, t| {
        let effect = match t.get("effect").and_then(Value::as_str) {
            Some("NO_SCHEDULE") => TaintEffect::NoSchedule,
            Some("NO_EXECUTE") => TaintEffect::NoExecute,
            Some("PREFER_NO_SCHEDULE") => TaintEffect::PreferNoSchedule,
            other => {
                draft.problems.push(Problem::new(
                    Path::from(format!("{at}.taints[{i}].effect").as_str()),
                    format!("{other:?} is not NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE"),
                ));
                return;
            }
        };
        taints.push(Taint {
            key: string(t, "key").unwrap_or_default(),
            value: string(t, "value").unwrap_or_default(),
            effect,
        });
    });
    let group = NodeGroup {
        name,
        instance_type,
        desired_capacity: desired,
        subnets,
        labels,
        taints,
        max_pods_per_node: None,
    };
    let groups = &mut draft.scenario.managed_node_groups;
    match groups.iter_mut().find(|g| g.name == group.name) {
        Some(g) => *g = group,
        None => groups.push(group),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::empty_scenario;
    use serde_json::json;

    fn index_of(docs: &[Value]) -> (Index, Draft) {
        let mut draft = Draft::new(empty_scenario());
        let mut index = Index::default();
        for (i, d) in docs.iter().enumerate() {
            index.read(d, &format!("aws#{}", i + 1), &mut draft);
        }
        apply(&index, &mut draft);
        (index, draft)
    }

    fn subnet(id: &str, az: &str, cidr: &str, name: Option<&str>) -> Value {
        let mut s = json!({"SubnetId": id, "VpcId": "vpc-1", "AvailabilityZone": az,
                           "CidrBlock": cidr, "MapPublicIpOnLaunch": false});
        if let Some(n) = name {
            s["Tags"] = json!([{"Key": "Name", "Value": n}]);
        }
        s
    }

    #[test]
    fn subnets_are_named_and_public_by_their_route_table() {
        let (_, draft) = index_of(&[
            json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
                   "CidrBlockAssociationSet": [
                     {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
                     {"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}}]}]}),
            json!({"Subnets": [subnet("subnet-a", "us-east-1a", "10.0.0.0/24", Some("pub-a")),
                               subnet("subnet-b", "us-east-1a", "10.0.16.0/20", None)]}),
            json!({"RouteTables": [
                {"VpcId": "vpc-1", "Associations": [{"Main": false, "SubnetId": "subnet-a"}],
                 "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]},
                {"VpcId": "vpc-1", "Associations": [{"Main": true}],
                 "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-1"}]}]}),
            json!({"NatGateways": [{"SubnetId": "subnet-a", "State": "available"}]}),
        ]);
        let vpc = &draft.scenario.vpc;
        assert_eq!(vpc.cidr, "10.0.0.0/16");
        assert_eq!(vpc.secondary_cidrs, vec!["100.64.0.0/16".to_string()]);
        assert_eq!(vpc.subnets[0].name, "pub-a");
        assert!(vpc.subnets[0].public);
        assert_eq!(vpc.subnets[1].name, "subnet-b");
        assert!(
            !vpc.subnets[1].public,
            "the main table has no internet route"
        );
        assert_eq!(vpc.nat_gateways, NatGatewayMode::Single);
        assert_eq!(draft.subnet_ids["subnet-b"], "subnet-b");
        assert!(draft.notes.is_empty(), "{:?}", draft.notes);
    }

    /// The load balancer controllers pick subnets by these tags (aws-load-balancer-controller
    /// `docs/deploy/subnet_discovery.md`), so the import keeps them and only them.
    #[test]
    fn subnet_tags_the_load_balancer_controllers_read_are_kept() {
        let mut a = subnet("subnet-a", "us-east-1a", "10.0.0.0/24", Some("pub-a"));
        a["Tags"] = json!([
            {"Key": "Name", "Value": "pub-a"},
            {"Key": "kubernetes.io/role/elb", "Value": "1"},
            {"Key": "kubernetes.io/cluster/prod", "Value": "shared"},
            {"Key": "team", "Value": "payments"},
            {"Key": "kubernetes.io/role/internal-elb", "Value": "x".repeat(300)}
        ]);
        let (_, draft) = index_of(&[
            json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}),
            json!({"Subnets": [a]}),
        ]);
        let tags = &draft.scenario.vpc.subnets[0].tags;
        assert_eq!(
            tags.iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
            vec![
                ("kubernetes.io/cluster/prod", "shared"),
                ("kubernetes.io/role/elb", "1")
            ]
        );
    }

    #[test]
    fn without_route_tables_public_is_a_stand_in_and_a_note() {
        let mut s = subnet("subnet-a", "us-east-1a", "10.1.0.0/24", None);
        s["MapPublicIpOnLaunch"] = json!(true);
        let (_, draft) = index_of(&[json!({"Subnets": [s]})]);
        assert!(draft.scenario.vpc.subnets[0].public);
        assert_eq!(draft.scenario.vpc.cidr, "10.1.0.0/16");
        let kinds: Vec<NoteKind> = draft.notes.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, vec![NoteKind::Unresolved; 3]);
        assert!(draft.notes[0].message.contains("describe-vpcs"));
        assert!(draft.notes[1].message.contains("describe-route-tables"));
        assert!(draft.notes[2].message.contains("describe-nat-gateways"));
    }

    #[test]
    fn an_ipv6_cluster_keeps_the_service_cidr_eks_assigned() {
        let (_, draft) = index_of(&[json!({"cluster": {
            "name": "v6",
            "kubernetesNetworkConfig": {"serviceIpv6Cidr": "fd30:1c53:5f8a::/108", "ipFamily": "ipv6"}}})]);
        let c = &draft.scenario.cluster;
        assert_eq!(c.ip_family, IpFamily::IPv6);
        assert_eq!(c.service_ipv6_cidr.as_deref(), Some("fd30:1c53:5f8a::/108"));
        assert_eq!(c.service_ipv4_cidr, None);
    }

    #[test]
    fn describe_cluster_sets_the_cluster_and_names_what_it_lacks() {
        let (_, draft) = index_of(&[json!({"cluster": {
            "name": "prod",
            "resourcesVpcConfig": {"vpcId": "vpc-9", "subnetIds": ["subnet-x"],
                "endpointPublicAccess": false, "endpointPrivateAccess": true,
                "publicAccessCidrs": ["1.2.3.4/32"]},
            "kubernetesNetworkConfig": {"serviceIpv4Cidr": "10.100.0.0/16", "ipFamily": "ipv4"}}})]);
        let c = &draft.scenario.cluster;
        assert_eq!(c.name, "prod");
        assert!(!c.cluster_endpoints.public_access && c.cluster_endpoints.private_access);
        assert_eq!(c.service_ipv4_cidr.as_deref(), Some("10.100.0.0/16"));
        assert_eq!(c.public_access_cidrs, vec!["1.2.3.4/32".to_string()]);
        let paths: Vec<&str> = draft.notes.iter().map(|n| n.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["vpc.cidr", "aws#1 cluster.resourcesVpcConfig.subnetIds[0]"]
        );
        assert!(draft.notes[1].message.contains("describe-subnets"));
    }

    #[test]
    fn describe_nodegroup_is_a_node_group() {
        let (_, draft) = index_of(&[
            json!({"Subnets": [subnet("subnet-a", "us-east-1a", "10.0.0.0/24", None)]}),
            json!({"nodegroup": {"nodegroupName": "ng", "instanceTypes": ["c5.xlarge"],
                "scalingConfig": {"desiredSize": 4}, "subnets": ["subnet-a", "subnet-zz"],
                "labels": {"role": "web"},
                "taints": [{"key": "k", "value": "v", "effect": "NO_SCHEDULE"}]}}),
        ]);
        let ng = &draft.scenario.managed_node_groups[0];
        assert_eq!(ng.instance_type, "c5.xlarge");
        assert_eq!(ng.desired_capacity, 4);
        assert_eq!(ng.subnets, vec!["subnet-a".to_string()]);
        assert_eq!(ng.taints[0].effect, TaintEffect::NoSchedule);
        assert!(draft
            .notes
            .iter()
            .any(|n| n.path == "aws#2 nodegroup.subnets[1]" && n.kind == NoteKind::Unresolved));
    }

    #[test]
    fn unknown_keys_and_bad_entries_are_notes() {
        let (_, draft) = index_of(&[json!({"Subnets": [{"SubnetId": "s"}], "Other": 1})]);
        assert_eq!(draft.notes.len(), 2);
        assert!(draft.notes.iter().all(|n| n.kind == NoteKind::Ignored));
    }
}
