//! An eksctl `ClusterConfig` (`eksctl.io/v1alpha5`) into the scenario, with eksctl's own
//! defaults where the file leaves a field out, each applied with a note.
//!
//! The defaults are eksctl's (`pkg/apis/eksctl.io/v1alpha5`, `pkg/vpc/vpc.go`, `pkg/az`):
//! VPC 192.168.0.0/16; the VPC split into 8 (up to 4 AZs) or 16 equal blocks, public subnets
//! taking the first blocks and private ones the blocks after (/19s in a /16); a Single NAT
//! gateway; endpoint public only; node groups of 2 m5.large in the public subnets
//! (`privateNetworking: false`); 3 AZs, 2 in us-east-1. eksctl picks the AZs at random;
//! eksplain takes the Region's first ones (`a`, `b`, `c`) and says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::aws_cli::{resolving_command, Index};
use super::placeholder::{self, DEFAULT_REGION};
use super::{Draft, NoteKind, Options};
use crate::scenario::{
    limits, EnforcingMode, IpFamily, NatGatewayMode, NodeGroup, Path, Problem, Subnet, Taint,
    TaintEffect,
};

/// eksctl's `DefaultCIDR`.
pub const DEFAULT_CIDR: &str = "192.168.0.0/16";
/// eksctl's `DefaultNodeType`.
pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";
/// eksctl's `DefaultNodeCount`.
pub const DEFAULT_NODE_COUNT: u32 = 2;
/// eksctl's `DefaultRegion`, for a ClusterConfig without `metadata.region` and no `--region`.
pub const EKSCTL_DEFAULT_REGION: &str = "us-west-2";

/// The top-level fields this reader uses; any other is noted as left out.
const READ_FIELDS: [&str; 9] = [
    "apiVersion",
    "kind",
    "metadata",
    "availabilityZones",
    "vpc",
    "kubernetesNetworkConfig",
    "managedNodeGroups",
    "nodeGroups",
    "addons",
];

/// The node group fields this reader uses.
const NODE_GROUP_FIELDS: [&str; 14] = [
    "name",
    "instanceType",
    "instanceTypes",
    "instancesDistribution",
    "desiredCapacity",
    "minSize",
    "maxSize",
    "privateNetworking",
    "subnets",
    "availabilityZones",
    "labels",
    "taints",
    "maxPodsPerNode",
    "spot",
];

/// The `vpc` fields this reader uses.
const VPC_FIELDS: [&str; 6] = [
    "cidr",
    "id",
    "subnets",
    "nat",
    "clusterEndpoints",
    "publicAccessCIDRs",
];

/// A subnet as the ClusterConfig makes it, before it joins the scenario.
struct Net {
    subnet: Subnet,
    /// The key eksctl knows it by (`us-west-2a` or a name), for node groups' `subnets`.
    key: String,
    id: Option<String>,
}

/// Reads one ClusterConfig into the draft.
struct Reader<'a> {
    source: &'a str,
    /// What `${AWS_REGION}` stands for.
    placeholder_region: String,
    /// `--region` was given (else the Region placeholder's stand-in is the default).
    region_given: bool,
    draft: &'a mut Draft,
}

impl Reader<'_> {
    fn note(&mut self, kind: NoteKind, path: impl Into<String>, message: impl Into<String>) {
        self.draft.note(kind, path, message);
    }

    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.draft.problems.push(Problem::new(
            Path::from(format!("{} {path}", self.source).as_str()),
            message,
        ));
    }

    /// A scalar as text, its `${PLACEHOLDER}`s replaced (each noted at `path`).
    fn text(&mut self, value: Option<&Value>, path: &str) -> Option<String> {
        let raw = match value? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        let (text, found) = placeholder::substitute(&raw, &self.placeholder_region);
        for (name, stand_in) in found {
            let why = if placeholder::is_region(&name) && !self.region_given {
                " (no --region given)"
            } else {
                ""
            };
            self.note(
                NoteKind::Placeholder,
                path,
                format!("{name} → {stand_in}{why}"),
            );
        }
        Some(text)
    }

    /// A list of scalars as texts.
    fn texts(&mut self, value: Option<&Value>, path: &str) -> Vec<String> {
        let Some(items) = value.and_then(Value::as_array) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(t) = self.text(Some(item), &format!("{path}[{i}]")) {
                out.push(t);
            }
        }
        out
    }

    /// A whole number (or one written as a string), at most `u32::MAX`.
    fn count(&mut self, value: Option<&Value>, path: &str) -> Option<u32> {
        let value = value?;
        let n = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        };
        match n.and_then(|n| u32::try_from(n).ok()) {
            Some(n) => Some(n),
            None => {
                self.problem(path, format!("{value} is not a whole number"));
                None
            }
        }
    }

    fn flag(&mut self, value: Option<&Value>, path: &str) -> Option<bool> {
        match value? {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            other => {
                self.problem(path, format!("{other} is not true or false"));
                None
            }
        }
    }

    /// Notes each field of `object` not in `read`, as one note at `path`.
    fn left_out(&mut self, object: &Map<String, Value>, read: &[&str], path: &str) {
        let others: Vec<&str> = object
            .keys()
            .map(String::as_str)
            .filter(|k| !read.contains(k))
            .collect();
        if !others.is_empty() {
            let at = if path.is_empty() {
                self.source.to_string()
            } else {
                path.to_string()
            };
            self.note(
                NoteKind::Ignored,
                at,
                format!(
                    "{}: not part of the network eksplain draws",
                    others.join(", ")
                ),
            );
        }
    }
}

/// Applies the ClusterConfig `doc` (from `source`) to the draft; `index` resolves ids.
pub fn apply(doc: &Value, source: &str, index: &Index, options: &Options, draft: &mut Draft) {
    let placeholder_region = options
        .region
        .clone()
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let mut r = Reader {
        source,
        placeholder_region,
        region_given: options.region.is_some(),
        draft,
    };
    let empty = Map::new();
    let config = doc.as_object().unwrap_or(&empty);
    r.left_out(config, &READ_FIELDS, "");
    let metadata = config.get("metadata").unwrap_or(&Value::Null);
    if let Some(name) = r.text(metadata.get("name"), "metadata.name") {
        r.draft.scenario.cluster.name = name;
    }
    let region = match (
        r.text(metadata.get("region"), "metadata.region"),
        &options.region,
    ) {
        (Some(region), _) => region,
        (None, Some(region)) => region.clone(),
        (None, None) => {
            r.note(
                NoteKind::Default,
                "metadata.region",
                format!("absent → eksctl's default {EKSCTL_DEFAULT_REGION} (or pass --region)"),
            );
            EKSCTL_DEFAULT_REGION.to_string()
        }
    };
    let vpc = config.get("vpc").unwrap_or(&Value::Null);
    if let Some(object) = vpc.as_object() {
        r.left_out(object, &VPC_FIELDS, "vpc");
    }
    let given_azs = r.texts(config.get("availabilityZones"), "availabilityZones");
    let nets = subnets(&mut r, vpc, &given_azs, &region, index);
    endpoints(&mut r, vpc);
    network_config(&mut r, config.get("kubernetesNetworkConfig"));
    node_groups(&mut r, config, &nets);
    addons(&mut r, config.get("addons"));
}

/// What `eksctl create cluster` makes without a config: the default network and one managed
/// node group, for an import of manifests alone.
pub fn apply_bare(options: &Options, draft: &mut Draft) {
    let region = options
        .region
        .clone()
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    let doc = serde_json::json!({
        "apiVersion": "eksctl.io/v1alpha5",
        "kind": "ClusterConfig",
        "metadata": {"name": "cluster", "region": region},
        "managedNodeGroups": [{"name": "ng-1"}],
    });
    draft.note(
        NoteKind::Default,
        "(cluster)",
        format!(
            "no input describes the cluster → what `eksctl create cluster --region {region}` makes: \
             its default VPC and one managed node group"
        ),
    );
    apply(&doc, "(eksctl defaults)", &Index::default(), options, draft);
}

/// When no input gives a subnet the scenario can draw (only ids nothing resolves): eksctl's
/// layout of the VPC's CIDR over the Region's default AZs stands in, with notes.
pub fn stand_in_subnets(region: &str, draft: &mut Draft) {
    let mut r = Reader {
        source: "(eksctl defaults)",
        placeholder_region: region.to_string(),
        region_given: true,
        draft,
    };
    let azs = default_azs(region);
    r.note(
        NoteKind::Default,
        "availabilityZones",
        format!(
            "no input gives a subnet eksplain can draw → eksctl's choice of {} AZs of {region} stands in: {}",
            azs.len(),
            azs.join(", ")
        ),
    );
    let nets = carve(&mut r, &azs);
    r.draft.scenario.vpc.subnets = nets.into_iter().map(|n| n.subnet).collect();
}

/// The AZs when the file names none: the Region's first two (us-east-1) or three.
fn default_azs(region: &str) -> Vec<String> {
    let n = if region == "us-east-1" { 2 } else { 3 };
    ["a", "b", "c"][..n]
        .iter()
        .map(|l| format!("{region}{l}"))
        .collect()
}

/// Whether a key of `vpc.subnets.public|private` is an AZ name (`us-west-2a`, `use1-az1`).
fn is_az_name(key: &str, region: &str) -> bool {
    key.strip_prefix(region)
        .is_some_and(|rest| rest.len() == 1 && rest.chars().all(|c| c.is_ascii_lowercase()))
}

/// The VPC, its subnets and NAT gateways; returns the subnets with their eksctl keys.
fn subnets(
    r: &mut Reader<'_>,
    vpc: &Value,
    given_azs: &[String],
    region: &str,
    index: &Index,
) -> Vec<Net> {
    let vpc_id = r.text(vpc.get("id"), "vpc.id");
    let aws_vpc = vpc_id.as_deref().and_then(|id| index.vpc(id));
    if let (Some(id), None) = (&vpc_id, aws_vpc) {
        if r.draft.scenario.vpc.cidr.is_empty() {
            r.note(
                NoteKind::Unresolved,
                "vpc.id",
                format!("{id} is an ID; {}", resolving_command(id)),
            );
        }
    }
    match r.text(vpc.get("cidr"), "vpc.cidr") {
        Some(cidr) => {
            let aws_cidr = aws_vpc.map(|v| v.cidr.clone()).unwrap_or_default();
            if !aws_cidr.is_empty() && aws_cidr != cidr {
                r.problem(
                    "vpc.cidr",
                    format!(
                        "{cidr}, but describe-vpcs says {} has {aws_cidr}",
                        vpc_id.clone().unwrap_or_default()
                    ),
                );
            }
            r.draft.scenario.vpc.cidr = cidr;
        }
        None if !r.draft.scenario.vpc.cidr.is_empty() => {}
        None => {
            r.draft.scenario.vpc.cidr = DEFAULT_CIDR.into();
            r.note(
                NoteKind::Default,
                "vpc.cidr",
                format!("absent → eksctl's default {DEFAULT_CIDR}"),
            );
        }
    }
    let nat = vpc.pointer("/nat/gateway");
    match r.text(nat, "vpc.nat.gateway").as_deref() {
        Some("Single") => r.draft.scenario.vpc.nat_gateways = NatGatewayMode::Single,
        Some("HighlyAvailable") => {
            r.draft.scenario.vpc.nat_gateways = NatGatewayMode::HighlyAvailable
        }
        Some("Disable") => r.draft.scenario.vpc.nat_gateways = NatGatewayMode::Disable,
        Some(other) => r.problem(
            "vpc.nat.gateway",
            format!(
                "`{}` is not Single, HighlyAvailable or Disable",
                other.escape_default()
            ),
        ),
        None if vpc_id.is_some() => {}
        None => {
            r.draft.scenario.vpc.nat_gateways = NatGatewayMode::Single;
            r.note(
                NoteKind::Default,
                "vpc.nat.gateway",
                "absent → eksctl's default Single (one NAT gateway, in the first public subnet)",
            );
        }
    }

    let mut nets = Vec::new();
    let listed = vpc.get("subnets").and_then(Value::as_object);
    if let Some(listed) = listed {
        for (topology, public) in [("public", true), ("private", false)] {
            let Some(entries) = listed.get(topology).and_then(Value::as_object) else {
                continue;
            };
            for (key, entry) in entries {
                let path = format!("vpc.subnets.{topology}.{key}");
                if nets.len() >= limits::SUBNETS.max {
                    r.problem(
                        &path,
                        format!(
                            "more than {} subnets; a VPC holds at most that many",
                            limits::SUBNETS.max
                        ),
                    );
                    break;
                }
                if let Some(net) = listed_subnet(r, key, entry, public, &path, region, index) {
                    nets.push(net);
                }
            }
        }
        for k in listed.keys().filter(|k| *k != "public" && *k != "private") {
            r.note(
                NoteKind::Ignored,
                format!("vpc.subnets.{k}"),
                "only public and private subnets are read",
            );
        }
    }
    if nets.is_empty() && listed.is_none() && !r.draft.scenario.vpc.subnets.is_empty() {
        // The AWS CLI output gave the subnets; the ClusterConfig adds nothing to them.
        return r
            .draft
            .scenario
            .vpc
            .subnets
            .iter()
            .map(|s| Net {
                subnet: s.clone(),
                key: s.name.clone(),
                id: None,
            })
            .collect();
    }
    if nets.is_empty() && listed.is_none() {
        let azs = if given_azs.is_empty() {
            let azs = default_azs(region);
            r.note(
                NoteKind::Default,
                "availabilityZones",
                format!(
                    "absent → eksctl picks {} AZs of {region} at random; eksplain takes {}",
                    azs.len(),
                    azs.join(", ")
                ),
            );
            azs
        } else {
            given_azs.to_vec()
        };
        nets = carve(r, &azs);
    }
    // The ClusterConfig's subnets replace the AWS CLI's of the same id; others stay.
    let replaced: BTreeSet<&str> = nets
        .iter()
        .filter_map(|n| r.draft.subnet_ids.get(n.id.as_deref()?))
        .map(String::as_str)
        .collect();
    let kept: Vec<Subnet> = r
        .draft
        .scenario
        .vpc
        .subnets
        .iter()
        .filter(|s| !replaced.contains(s.name.as_str()))
        .cloned()
        .collect();
    for net in &nets {
        if let Some(id) = &net.id {
            r.draft
                .subnet_ids
                .insert(id.clone(), net.subnet.name.clone());
        }
    }
    let mut all: Vec<Subnet> = nets.iter().map(|n| n.subnet.clone()).collect();
    all.extend(kept);
    r.draft.scenario.vpc.subnets = all;
    // eksctl gives the control plane every subnet it made or was given.
    r.draft.scenario.cluster.control_plane_subnets =
        nets.iter().map(|n| n.subnet.name.clone()).collect();
    nets
}

/// One entry of `vpc.subnets.public|private`: keyed by AZ or by name, with `id`, `cidr`, `az`.
fn listed_subnet(
    r: &mut Reader<'_>,
    key: &str,
    entry: &Value,
    public: bool,
    path: &str,
    region: &str,
    index: &Index,
) -> Option<Net> {
    let id = r.text(entry.get("id"), &format!("{path}.id"));
    let mut cidr = r.text(entry.get("cidr"), &format!("{path}.cidr"));
    let mut az = r.text(entry.get("az"), &format!("{path}.az"));
    let keyed_by_az = az.is_none() && is_az_name(key, region);
    if keyed_by_az {
        az = Some(key.to_string());
    }
    let topology = if public { "public" } else { "private" };
    let mut name = if keyed_by_az {
        format!("{topology}-{key}")
    } else {
        key.to_string()
    };
    if let Some(id) = &id {
        match index.subnet(id) {
            Some(aws) => {
                if let Some(c) = &cidr {
                    if *c != aws.cidr {
                        r.problem(
                            &format!("{path}.cidr"),
                            format!(
                                "{c}, but {} ({}) says {id} has {}",
                                aws.source, "describe-subnets", aws.cidr
                            ),
                        );
                    }
                }
                if let Some(a) = &az {
                    if *a != aws.az {
                        r.problem(
                            &format!("{path}.az"),
                            format!("{a}, but {} says {id} is in {}", aws.source, aws.az),
                        );
                    }
                }
                cidr = Some(aws.cidr.clone());
                az = Some(aws.az.clone());
                if keyed_by_az {
                    if let Some(n) = r.draft.subnet_ids.get(id) {
                        name = n.clone();
                    }
                }
            }
            None if cidr.is_none() || az.is_none() => {
                r.note(
                    NoteKind::Unresolved,
                    format!("{path}.id"),
                    format!(
                        "{id} is an ID; {}; the subnet is left out until then",
                        resolving_command(id)
                    ),
                );
                return None;
            }
            None => {}
        }
    }
    let (Some(cidr), Some(az)) = (cidr, az) else {
        r.problem(
            path,
            "a subnet needs its cidr and AZ (or an id describe-subnets output resolves)",
        );
        return None;
    };
    Some(Net {
        subnet: Subnet {
            tags: Default::default(),
            name,
            az,
            cidr,
            public,
        },
        key: key.to_string(),
        id,
    })
}

/// eksctl's layout: the VPC CIDR split into 8 blocks (16 past 4 AZs), public subnets in the
/// first blocks, private ones after them.
fn carve(r: &mut Reader<'_>, azs: &[String]) -> Vec<Net> {
    let cidr = r.draft.scenario.vpc.cidr.clone();
    let Ok(net) = cidr.parse::<ipnet::Ipv4Net>() else {
        r.problem(
            "vpc.cidr",
            format!("`{}` is not an IPv4 CIDR", cidr.escape_default()),
        );
        return Vec::new();
    };
    let prefix = net.prefix_len();
    if !(16..=24).contains(&prefix) {
        r.problem(
            "vpc.cidr",
            format!("eksctl needs a /16 to /24 to lay out subnets, not /{prefix}"),
        );
        return Vec::new();
    }
    let extra = match azs.len() * 2 {
        0..=8 => 3,
        9..=16 => 4,
        n => {
            r.problem(
                "availabilityZones",
                format!("eksctl creates at most 16 subnets, {n} asked for"),
            );
            return Vec::new();
        }
    };
    let Ok(blocks) = net.subnets(prefix + extra) else {
        return Vec::new();
    };
    let blocks: Vec<ipnet::Ipv4Net> = blocks.collect();
    let mut publics = Vec::new();
    let mut privates = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        for (public, block, out) in [
            (true, blocks[i], &mut publics),
            (false, blocks[i + azs.len()], &mut privates),
        ] {
            let topology = if public { "public" } else { "private" };
            out.push(Net {
                subnet: Subnet {
                    tags: Default::default(),
                    name: format!("{topology}-{az}"),
                    az: az.clone(),
                    cidr: block.to_string(),
                    public,
                },
                key: az.clone(),
                id: None,
            });
        }
    }
    let described: Vec<String> = publics
        .iter()
        .chain(&privates)
        .map(|n| format!("{} {}", n.subnet.name, n.subnet.cidr))
        .collect();
    r.note(
        NoteKind::Default,
        "vpc.subnets",
        format!(
            "absent → eksctl's layout: {cidr} in {} blocks of /{}, a public and a private subnet per AZ ({})",
            1 << extra,
            prefix + extra,
            described.join(", ")
        ),
    );
    publics.extend(privates);
    publics
}

/// `vpc.clusterEndpoints` and `vpc.publicAccessCIDRs`.
fn endpoints(r: &mut Reader<'_>, vpc: &Value) {
    let endpoints = vpc.get("clusterEndpoints");
    let public = r.flag(
        endpoints.and_then(|e| e.get("publicAccess")),
        "vpc.clusterEndpoints.publicAccess",
    );
    let private = r.flag(
        endpoints.and_then(|e| e.get("privateAccess")),
        "vpc.clusterEndpoints.privateAccess",
    );
    if endpoints.is_none() {
        r.note(
            NoteKind::Default,
            "vpc.clusterEndpoints",
            "absent → eksctl's default: public access only",
        );
    }
    let e = &mut r.draft.scenario.cluster.cluster_endpoints;
    e.public_access = public.unwrap_or(true);
    e.private_access = private.unwrap_or(false);
    let cidrs = r.texts(vpc.get("publicAccessCIDRs"), "vpc.publicAccessCIDRs");
    if !cidrs.is_empty() {
        r.draft.scenario.cluster.public_access_cidrs = cidrs;
    }
}

/// `kubernetesNetworkConfig`: ipFamily and serviceIPv4CIDR.
fn network_config(r: &mut Reader<'_>, config: Option<&Value>) {
    let Some(config) = config else { return };
    match r.text(config.get("ipFamily"), "kubernetesNetworkConfig.ipFamily") {
        Some(f) if f.eq_ignore_ascii_case("ipv4") => {
            r.draft.scenario.cluster.ip_family = IpFamily::IPv4
        }
        Some(f) if f.eq_ignore_ascii_case("ipv6") => {
            r.draft.scenario.cluster.ip_family = IpFamily::IPv6
        }
        Some(f) => r.problem(
            "kubernetesNetworkConfig.ipFamily",
            format!("`{}` is neither IPv4 nor IPv6", f.escape_default()),
        ),
        None => {}
    }
    if let Some(c) = r.text(
        config.get("serviceIPv4CIDR"),
        "kubernetesNetworkConfig.serviceIPv4CIDR",
    ) {
        r.draft.scenario.cluster.service_ipv4_cidr = Some(c);
    }
}

/// `managedNodeGroups` then `nodeGroups`, all drawn as node groups.
fn node_groups(r: &mut Reader<'_>, config: &Map<String, Value>, nets: &[Net]) {
    for (field, managed) in [("managedNodeGroups", true), ("nodeGroups", false)] {
        let Some(groups) = config.get(field).and_then(Value::as_array) else {
            continue;
        };
        let lookup = NetLookup::new(nets);
        for (i, ng) in groups.iter().enumerate() {
            let path = format!("{field}[{i}]");
            if r.draft.scenario.managed_node_groups.len() >= limits::NODE_GROUPS.max {
                r.problem(
                    &path,
                    format!(
                        "more than {} node groups; a cluster has at most that many",
                        limits::NODE_GROUPS.max
                    ),
                );
                break;
            }
            if let Some(group) = node_group(r, ng, &path, managed, &lookup) {
                let groups = &mut r.draft.scenario.managed_node_groups;
                if groups.iter().any(|g| g.name == group.name) && !managed {
                    r.problem(
                        &format!("{path}.name"),
                        format!("a second node group is named {}", group.name),
                    );
                    continue;
                }
                match groups.iter_mut().find(|g| g.name == group.name) {
                    Some(g) => *g = group,
                    None => groups.push(group),
                }
            }
        }
    }
}

/// The ClusterConfig's subnets by what a node group may call them: key, name or id.
struct NetLookup<'a> {
    nets: &'a [Net],
    by_name: HashMap<&'a str, Vec<usize>>,
}

impl<'a> NetLookup<'a> {
    fn new(nets: &'a [Net]) -> NetLookup<'a> {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, n) in nets.iter().enumerate() {
            let mut names = vec![n.key.as_str(), n.subnet.name.as_str()];
            names.extend(n.id.as_deref());
            names.dedup();
            for name in names {
                by_name.entry(name).or_default().push(i);
            }
        }
        NetLookup { nets, by_name }
    }

    /// The subnet called `s`; of a public and a private one keyed by the same AZ, the one
    /// `private` asks for.
    fn find(&self, s: &str, private: bool) -> Option<&'a Net> {
        self.by_name
            .get(s)?
            .iter()
            .map(|&i| &self.nets[i])
            .min_by_key(|n| n.subnet.public == private)
    }
}

fn node_group(
    r: &mut Reader<'_>,
    ng: &Value,
    path: &str,
    managed: bool,
    lookup: &NetLookup<'_>,
) -> Option<NodeGroup> {
    let nets = lookup.nets;
    let Some(object) = ng.as_object() else {
        r.problem(path, "a node group is an object");
        return None;
    };
    r.left_out(object, &NODE_GROUP_FIELDS, path);
    let Some(name) = r.text(ng.get("name"), &format!("{path}.name")) else {
        r.problem(&format!("{path}.name"), "a node group needs a name");
        return None;
    };
    if !managed {
        r.note(
            NoteKind::Ignored,
            path,
            "a self-managed node group, drawn as a managed one: its instances, subnets and ENIs are the same",
        );
    }
    let types_path = if managed {
        format!("{path}.instanceTypes")
    } else {
        format!("{path}.instancesDistribution.instanceTypes")
    };
    let types = if managed {
        r.texts(ng.get("instanceTypes"), &types_path)
    } else {
        r.texts(
            ng.pointer("/instancesDistribution/instanceTypes"),
            &types_path,
        )
    };
    let instance_type = match r.text(ng.get("instanceType"), &format!("{path}.instanceType")) {
        Some(t) if t != "mixed" => t,
        _ if !types.is_empty() => {
            if types.len() > 1 {
                r.note(
                    NoteKind::Ignored,
                    types_path,
                    format!(
                        "eksplain draws one instance type a group: {} of {}",
                        types[0],
                        types.join(", ")
                    ),
                );
            }
            types[0].clone()
        }
        _ => {
            r.note(
                NoteKind::Default,
                format!("{path}.instanceType"),
                format!("absent → eksctl's default {DEFAULT_INSTANCE_TYPE}"),
            );
            DEFAULT_INSTANCE_TYPE.to_string()
        }
    };
    let min = r.count(ng.get("minSize"), &format!("{path}.minSize"));
    let max = r.count(ng.get("maxSize"), &format!("{path}.maxSize"));
    let desired = match r.count(
        ng.get("desiredCapacity"),
        &format!("{path}.desiredCapacity"),
    ) {
        Some(n) => n,
        None => {
            // eksctl's DefaultNodeCount, kept within minSize..maxSize.
            let n = DEFAULT_NODE_COUNT
                .max(min.unwrap_or(0))
                .min(max.unwrap_or(u32::MAX));
            r.note(
                NoteKind::Default,
                format!("{path}.desiredCapacity"),
                format!("absent → {n} (eksctl's default {DEFAULT_NODE_COUNT}, within minSize and maxSize)"),
            );
            n
        }
    };
    if min.is_some() || max.is_some() {
        r.note(
            NoteKind::Ignored,
            format!("{path}.minSize/maxSize"),
            format!("the autoscaling bounds; eksplain draws desiredCapacity, {desired} nodes"),
        );
    }
    let private = r
        .flag(
            ng.get("privateNetworking"),
            &format!("{path}.privateNetworking"),
        )
        .unwrap_or(false);
    let azs: BTreeSet<String> = r
        .texts(
            ng.get("availabilityZones"),
            &format!("{path}.availabilityZones"),
        )
        .into_iter()
        .collect();
    let mut subnets = Vec::new();
    if let Some(listed) = ng.get("subnets").and_then(Value::as_array) {
        let mut seen = BTreeSet::new();
        let most = limits::NODE_GROUP_SUBNETS.max + 1;
        for (i, s) in listed.iter().enumerate().take(most) {
            let at = format!("{path}.subnets[{i}]");
            let Some(s) = r.text(Some(s), &at) else {
                continue;
            };
            if let Some(name) = subnet_named(r, &s, &at, private, lookup) {
                if seen.insert(name.clone()) {
                    subnets.push(name);
                }
            }
        }
    } else {
        subnets = nets
            .iter()
            .filter(|n| n.subnet.public != private)
            .filter(|n| azs.is_empty() || azs.contains(&n.subnet.az))
            .map(|n| n.subnet.name.clone())
            .collect();
        if ng.get("privateNetworking").is_none() && !subnets.is_empty() {
            r.note(
                NoteKind::Default,
                format!("{path}.privateNetworking"),
                "absent → false, eksctl's default: the nodes go in the public subnets",
            );
        }
    }
    let labels = labels(r, ng.get("labels"), &format!("{path}.labels"));
    let taints = taints(r, ng.get("taints"), &format!("{path}.taints"));
    let max_pods_per_node = r.count(ng.get("maxPodsPerNode"), &format!("{path}.maxPodsPerNode"));
    Some(NodeGroup {
        name,
        instance_type,
        desired_capacity: desired,
        subnets,
        labels,
        taints,
        max_pods_per_node,
    })
}

/// A node group's `subnets` entry: an eksctl subnet name or AZ key, or a subnet id.
fn subnet_named(
    r: &mut Reader<'_>,
    s: &str,
    at: &str,
    private: bool,
    lookup: &NetLookup<'_>,
) -> Option<String> {
    if let Some(n) = lookup.find(s, private) {
        return Some(n.subnet.name.clone());
    }
    if let Some(name) = r.draft.subnet_ids.get(s) {
        return Some(name.clone());
    }
    if s.starts_with("subnet-") {
        r.note(
            NoteKind::Unresolved,
            at,
            format!("{s} is an ID; {}", resolving_command(s)),
        );
    } else {
        r.problem(
            at,
            format!("no subnet is named `{}` in vpc.subnets", s.escape_default()),
        );
    }
    None
}

fn labels(r: &mut Reader<'_>, value: Option<&Value>, path: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(map) = value.and_then(Value::as_object) {
        for (k, v) in map {
            if let Some(v) = r.text(Some(v), &format!("{path}.{k}")) {
                out.insert(k.clone(), v);
            }
        }
    }
    out
}

/// Taints in the list form (`[{key, value, effect}]`) or the map form (`key: value:Effect`).
fn taints(r: &mut Reader<'_>, value: Option<&Value>, path: &str) -> Vec<Taint> {
    let mut out = Vec::new();
    match value {
        Some(Value::Array(list)) => {
            for (i, t) in list.iter().enumerate() {
                let at = format!("{path}[{i}]");
                let key = r
                    .text(t.get("key"), &format!("{at}.key"))
                    .unwrap_or_default();
                let value = r
                    .text(t.get("value"), &format!("{at}.value"))
                    .unwrap_or_default();
                let effect = r.text(t.get("effect"), &format!("{at}.effect"));
                if let Some(effect) = parse_effect(r, effect.as_deref(), &format!("{at}.effect")) {
                    out.push(Taint { key, value, effect });
                }
            }
        }
        Some(Value::Object(map)) => {
            for (key, v) in map {
                let at = format!("{path}.{key}");
                let text = r.text(Some(v), &at).unwrap_or_default();
                let (value, effect) = text.rsplit_once(':').unwrap_or(("", text.as_str()));
                if let Some(effect) = parse_effect(r, Some(effect), &at) {
                    out.push(Taint {
                        key: key.clone(),
                        value: value.to_string(),
                        effect,
                    });
                }
            }
        }
        Some(other) if !other.is_null() => r.problem(
            path,
            "taints are a list of {key, value, effect} or a map of key: value:Effect",
        ),
        _ => {}
    }
    out
}

fn parse_effect(r: &mut Reader<'_>, effect: Option<&str>, path: &str) -> Option<TaintEffect> {
    match effect {
        Some("NoSchedule") => Some(TaintEffect::NoSchedule),
        Some("PreferNoSchedule") => Some(TaintEffect::PreferNoSchedule),
        Some("NoExecute") => Some(TaintEffect::NoExecute),
        other => {
            r.problem(
                path,
                format!(
                    "`{}` is not NoSchedule, PreferNoSchedule or NoExecute",
                    other.unwrap_or("").escape_default()
                ),
            );
            None
        }
    }
}

/// `addons`: the vpc-cni addon's version and `configurationValues`; others are noted.
fn addons(r: &mut Reader<'_>, value: Option<&Value>) {
    let Some(list) = value.and_then(Value::as_array) else {
        return;
    };
    for (i, addon) in list.iter().enumerate() {
        let path = format!("addons[{i}]");
        let name = r
            .text(addon.get("name"), &format!("{path}.name"))
            .unwrap_or_default();
        if name != "vpc-cni" {
            r.note(
                NoteKind::Ignored,
                path,
                format!("the {name} addon is not part of the network eksplain draws"),
            );
            continue;
        }
        if let Some(version) = r.text(addon.get("version"), &format!("{path}.version")) {
            let v = version.trim_start_matches('v');
            let v = v.split('-').next().unwrap_or(v);
            if !v.is_empty() && v != "latest" {
                r.draft.scenario.cluster.vpc_cni.version = v.to_string();
            }
        }
        if let Some(values) = r.text(
            addon.get("configurationValues"),
            &format!("{path}.configurationValues"),
        ) {
            configuration_values(r, &values, &format!("{path}.configurationValues"));
        }
    }
}

/// The vpc-cni addon's configuration (a JSON or YAML string); its `env` sets `vpcCni`.
fn configuration_values(r: &mut Reader<'_>, text: &str, path: &str) {
    let input = super::Input {
        name: path.to_string(),
        text: text.to_string(),
    };
    let value = match super::read::documents(&input) {
        Ok(mut docs) if docs.len() == 1 => docs.remove(0).value,
        Ok(_) => {
            r.problem(path, "the configuration is one JSON or YAML document");
            return;
        }
        Err(problem) => {
            r.problem(path, problem.message);
            return;
        }
    };
    let Some(object) = value.as_object() else {
        r.problem(path, "the configuration is a JSON or YAML object");
        return;
    };
    let others: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "env")
        .collect();
    if !others.is_empty() {
        r.note(
            NoteKind::Ignored,
            path,
            format!("{}: not modelled", others.join(", ")),
        );
    }
    let Some(env) = object.get("env").and_then(Value::as_object) else {
        return;
    };
    let mut ignored = Vec::new();
    for (key, v) in env {
        let at = format!("{path}.env.{key}");
        match key.as_str() {
            "ENABLE_PREFIX_DELEGATION" => {
                if let Some(b) = r.flag(Some(v), &at) {
                    r.draft.scenario.cluster.vpc_cni.prefix_delegation = b;
                }
            }
            "AWS_VPC_K8S_CNI_EXTERNALSNAT" => {
                if let Some(b) = r.flag(Some(v), &at) {
                    r.draft.scenario.cluster.vpc_cni.external_snat = b;
                }
            }
            "ENABLE_POD_ENI" => {
                if let Some(b) = r.flag(Some(v), &at) {
                    r.draft.scenario.cluster.vpc_cni.pod_eni = b;
                }
            }
            "POD_SECURITY_GROUP_ENFORCING_MODE" => match r.text(Some(v), &at).as_deref() {
                Some("strict") => {
                    r.draft
                        .scenario
                        .cluster
                        .vpc_cni
                        .pod_security_group_enforcing_mode = EnforcingMode::Strict
                }
                Some("standard") => {
                    r.draft
                        .scenario
                        .cluster
                        .vpc_cni
                        .pod_security_group_enforcing_mode = EnforcingMode::Standard
                }
                other => r.problem(&at, format!("{other:?} is not strict or standard")),
            },
            "WARM_ENI_TARGET" | "WARM_IP_TARGET" | "MINIMUM_IP_TARGET" | "WARM_PREFIX_TARGET" => {
                let n = r.count(Some(v), &at);
                let cni = &mut r.draft.scenario.cluster.vpc_cni;
                match key.as_str() {
                    "WARM_ENI_TARGET" => cni.warm_eni_target = n,
                    "WARM_IP_TARGET" => cni.warm_ip_target = n,
                    "MINIMUM_IP_TARGET" => cni.minimum_ip_target = n,
                    _ => cni.warm_prefix_target = n,
                }
            }
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG" => {
                if r.flag(Some(v), &at) == Some(true) {
                    r.note(
                        NoteKind::Unresolved,
                        at,
                        "custom networking is on; add the ENIConfig manifests, which name each AZ's pod subnet",
                    );
                }
            }
            _ => ignored.push(key.as_str()),
        }
    }
    if !ignored.is_empty() {
        r.note(
            NoteKind::Ignored,
            format!("{path}.env"),
            format!("{}: not modelled", ignored.join(", ")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::empty_scenario;
    use serde_json::json;

    fn run(doc: Value, region: Option<&str>) -> Draft {
        let mut draft = Draft::new(empty_scenario());
        let options = Options {
            region: region.map(str::to_string),
        };
        apply(&doc, "c.yaml#1", &Index::default(), &options, &mut draft);
        draft
    }

    fn config(extra: Value) -> Value {
        let mut doc = json!({"apiVersion": "eksctl.io/v1alpha5", "kind": "ClusterConfig",
                             "metadata": {"name": "c", "region": "eu-west-1"}});
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        doc
    }

    #[test]
    fn the_default_layout_is_eksctls() {
        let draft = run(config(json!({"nodeGroups": [{"name": "ng-1"}]})), None);
        let vpc = &draft.scenario.vpc;
        assert_eq!(vpc.cidr, "192.168.0.0/16");
        let cidrs: Vec<(&str, &str)> = vpc
            .subnets
            .iter()
            .map(|s| (s.name.as_str(), s.cidr.as_str()))
            .collect();
        assert_eq!(
            cidrs,
            vec![
                ("public-eu-west-1a", "192.168.0.0/19"),
                ("public-eu-west-1b", "192.168.32.0/19"),
                ("public-eu-west-1c", "192.168.64.0/19"),
                ("private-eu-west-1a", "192.168.96.0/19"),
                ("private-eu-west-1b", "192.168.128.0/19"),
                ("private-eu-west-1c", "192.168.160.0/19"),
            ]
        );
        assert_eq!(vpc.nat_gateways, NatGatewayMode::Single);
        let ng = &draft.scenario.managed_node_groups[0];
        assert_eq!(ng.instance_type, "m5.large");
        assert_eq!(ng.desired_capacity, 2);
        assert_eq!(ng.subnets.len(), 3);
        assert!(ng.subnets.iter().all(|s| s.starts_with("public-")));
        let defaults: Vec<&str> = draft
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Default)
            .map(|n| n.path.as_str())
            .collect();
        for path in [
            "vpc.cidr",
            "availabilityZones",
            "vpc.subnets",
            "vpc.nat.gateway",
            "nodeGroups[0].instanceType",
            "nodeGroups[0].desiredCapacity",
            "nodeGroups[0].privateNetworking",
        ] {
            assert!(defaults.contains(&path), "{path} in {defaults:?}");
        }
    }

    #[test]
    fn us_east_1_gets_two_azs() {
        let mut doc = config(json!({}));
        doc["metadata"]["region"] = json!("us-east-1");
        let draft = run(doc, None);
        assert_eq!(draft.scenario.vpc.subnets.len(), 4);
        assert_eq!(draft.scenario.vpc.subnets[1].az, "us-east-1b");
    }

    #[test]
    fn subnets_keyed_by_az_and_by_name() {
        let draft = run(
            config(json!({"vpc": {"cidr": "10.0.0.0/16", "subnets": {
                "private": {"eu-west-1a": {"cidr": "10.0.0.0/20"},
                            "pods-b": {"az": "eu-west-1b", "cidr": "10.0.16.0/20"}},
                "public": {"eu-west-1a": {"cidr": "10.0.32.0/24"}}}},
             "managedNodeGroups": [{"name": "a", "privateNetworking": true,
                "subnets": ["pods-b", "eu-west-1a"], "instanceTypes": ["c5.large", "c5a.large"],
                "taints": {"dedicated": "web:NoSchedule"}, "labels": {"role": "web"},
                "maxPodsPerNode": 50}]})),
            None,
        );
        let names: Vec<&str> = draft
            .scenario
            .vpc
            .subnets
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(
            names,
            vec!["public-eu-west-1a", "private-eu-west-1a", "pods-b"]
        );
        let ng = &draft.scenario.managed_node_groups[0];
        assert_eq!(
            ng.subnets,
            vec!["pods-b".to_string(), "private-eu-west-1a".to_string()]
        );
        assert_eq!(ng.instance_type, "c5.large");
        assert_eq!(ng.taints[0].value, "web");
        assert_eq!(ng.taints[0].effect, TaintEffect::NoSchedule);
        assert_eq!(ng.max_pods_per_node, Some(50));
        assert!(draft.problems.is_empty(), "{:?}", draft.problems);
    }

    #[test]
    fn subnet_ids_without_aws_output_are_unresolved() {
        let draft = run(
            config(json!({"vpc": {"id": "vpc-1", "subnets": {"private": {
                "eu-west-1a": {"id": "subnet-0f39"}}}},
                "managedNodeGroups": [{"name": "a", "subnets": ["subnet-0abc"]}]})),
            None,
        );
        let unresolved: Vec<&str> = draft
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Unresolved)
            .map(|n| n.path.as_str())
            .collect();
        assert_eq!(
            unresolved,
            vec![
                "vpc.id",
                "vpc.subnets.private.eu-west-1a.id",
                "managedNodeGroups[0].subnets[0]"
            ]
        );
    }

    #[test]
    fn placeholders_are_noted_with_their_stand_ins() {
        let mut doc = config(json!({"availabilityZones": ["${AWS_REGION}a", "${AWS_REGION}b"]}));
        doc["metadata"] = json!({"name": "${EKS_CLUSTER_NAME}", "region": "${AWS_REGION}"});
        let draft = run(doc, Some("ap-south-1"));
        assert_eq!(draft.scenario.cluster.name, "eks-cluster-name");
        assert_eq!(draft.scenario.vpc.subnets[0].az, "ap-south-1a");
        let placeholders = draft
            .notes
            .iter()
            .filter(|n| n.kind == NoteKind::Placeholder)
            .count();
        assert_eq!(placeholders, 4);
    }

    #[test]
    fn the_vpc_cni_configuration_sets_vpc_cni() {
        let draft = run(
            config(
                json!({"addons": [{"name": "vpc-cni", "version": "v1.19.2-eksbuild.1",
                "configurationValues": "env:\n  ENABLE_PREFIX_DELEGATION: \"true\"\n  WARM_PREFIX_TARGET: \"2\"\n  AWS_VPC_K8S_CNI_EXTERNALSNAT: \"true\"\n  POD_SECURITY_GROUP_ENFORCING_MODE: standard\n  OTHER: x\n"},
                {"name": "coredns"}]}),
            ),
            None,
        );
        let cni = &draft.scenario.cluster.vpc_cni;
        assert_eq!(cni.version, "1.19.2");
        assert!(cni.prefix_delegation && cni.external_snat);
        assert_eq!(cni.warm_prefix_target, Some(2));
        assert_eq!(
            cni.pod_security_group_enforcing_mode,
            EnforcingMode::Standard
        );
        assert!(draft.notes.iter().any(|n| n.path == "addons[1]"));
        assert!(draft
            .notes
            .iter()
            .any(|n| n.path == "addons[0].configurationValues.env" && n.message.contains("OTHER")));
    }

    fn with_aws(doc: Value, aws: Value) -> Draft {
        let mut draft = Draft::new(empty_scenario());
        let mut index = Index::default();
        index.read(&aws, "ec2.json#1", &mut draft);
        crate::import::aws_cli::apply(&index, &mut draft);
        apply(&doc, "c.yaml#1", &index, &Options::default(), &mut draft);
        draft
    }

    fn aws_subnets() -> Value {
        json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
               "Subnets": [
            {"SubnetId": "subnet-a", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1a",
             "CidrBlock": "10.0.0.0/20", "Tags": [{"Key": "Name", "Value": "app-a"}]},
            {"SubnetId": "subnet-b", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1b",
             "CidrBlock": "10.0.16.0/20"}]})
    }

    #[test]
    fn ids_resolve_through_the_aws_output() {
        let draft = with_aws(
            config(json!({"vpc": {"id": "vpc-1", "subnets": {"private": {
                    "eu-west-1a": {"id": "subnet-a"}, "eu-west-1b": {"id": "subnet-b"}}}},
                "managedNodeGroups": [{"name": "a", "subnets": ["subnet-b", "eu-west-1a"]}]})),
            aws_subnets(),
        );
        assert!(draft.problems.is_empty(), "{:?}", draft.problems);
        let subnets: Vec<(&str, &str, bool)> = draft
            .scenario
            .vpc
            .subnets
            .iter()
            .map(|s| (s.name.as_str(), s.cidr.as_str(), s.public))
            .collect();
        assert_eq!(
            subnets,
            vec![
                ("app-a", "10.0.0.0/20", false),
                ("subnet-b", "10.0.16.0/20", false)
            ]
        );
        assert_eq!(
            draft.scenario.managed_node_groups[0].subnets,
            vec!["subnet-b".to_string(), "app-a".to_string()]
        );
        // Only what the AWS output itself lacks (route tables, NAT gateways) stays unresolved.
        assert!(!draft
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Unresolved && n.message.contains("subnet-")));
    }

    #[test]
    fn two_cidrs_for_one_subnet_is_a_problem_naming_both() {
        let draft = with_aws(
            config(json!({"vpc": {"id": "vpc-1", "subnets": {"private": {
                    "eu-west-1a": {"id": "subnet-a", "cidr": "10.0.128.0/20"}}}}})),
            aws_subnets(),
        );
        let [p] = draft.problems.as_slice() else {
            panic!("{:?}", draft.problems)
        };
        assert_eq!(
            p.path.as_str(),
            "c.yaml#1 vpc.subnets.private.eu-west-1a.cidr"
        );
        assert!(
            p.message.contains("10.0.128.0/20") && p.message.contains("ec2.json#1 Subnets[0]"),
            "{p}"
        );
    }

    #[test]
    fn bad_values_are_problems_at_their_paths() {
        let draft = run(
            config(json!({"vpc": {"nat": {"gateway": "Many"}},
                "managedNodeGroups": [{"name": "a", "desiredCapacity": "lots",
                    "taints": [{"key": "k", "effect": "Sometimes"}]}]})),
            None,
        );
        let paths: Vec<&str> = draft.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "c.yaml#1 vpc.nat.gateway",
                "c.yaml#1 managedNodeGroups[0].desiredCapacity",
                "c.yaml#1 managedNodeGroups[0].taints[0].effect"
            ]
        );
    }
}
