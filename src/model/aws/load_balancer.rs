//! Load balancers for LoadBalancer Services (NLB from the AWS Load Balancer Controller, or a
//! Classic LB from the in-tree provider) and for Ingresses (ALB, one per IngressGroup): which
//! subnets they sit in and the addresses they take there.

use std::net::Ipv4Addr;

use super::subnet::{AddressPool, Subnet};
use crate::scenario::{LoadBalancerKind, Path, Problem, Scheme, SchemeOrigin, TargetType};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbKind {
    Nlb,
    Clb,
    Alb,
}

impl LbKind {
    pub fn label(self) -> &'static str {
        match self {
            LbKind::Nlb => "Network Load Balancer",
            LbKind::Clb => "Classic Load Balancer",
            LbKind::Alb => "Application Load Balancer",
        }
    }
}

impl From<LoadBalancerKind> for LbKind {
    fn from(k: LoadBalancerKind) -> LbKind {
        match k {
            LoadBalancerKind::Nlb => LbKind::Nlb,
            LoadBalancerKind::Clb => LbKind::Clb,
        }
    }
}

/// Whether pods with their own security groups (branch ENIs) cannot sit behind instance
/// targets with `externalTrafficPolicy: Local`. The EKS user guide, "Assign security groups
/// to individual Pods", considerations: with VPC CNI 1.10 or earlier, or 1.11+ with
/// `POD_SECURITY_GROUP_ENFORCING_MODE=strict` (the default), such Services "aren't supported";
/// `standard` mode (1.11+) supports them.
pub fn branch_pods_refuse_instance_local(
    mode: crate::scenario::EnforcingMode,
    cni_version: &super::max_pods::CniVersion,
) -> bool {
    let standard_exists =
        cni_version.major > 1 || (cni_version.major == 1 && cni_version.minor >= 11);
    mode == crate::scenario::EnforcingMode::Strict || !standard_exists
}

/// A dualstack load balancer node's IPv6 address in subnet `subnet`'s /64 (2001:db8:0:i::/64
/// in the model, see `build/nodes.rs`): the interface id `ffff::<its IPv4's last two octets>`,
/// clear of the nodes' /80s.
pub fn node_ipv6(subnet: usize, private_ip: Ipv4Addr) -> std::net::Ipv6Addr {
    let [_, _, c, d] = private_ip.octets();
    std::net::Ipv6Addr::new(
        0x2001,
        0xdb8,
        0,
        (subnet & 0xff) as u16,
        0xffff,
        0,
        0,
        u16::from_be_bytes([c, d]),
    )
}

/// Why a load balancer cannot reach an IPv6 cluster's pods, if it cannot. The EKS user guide,
/// "Learn about IPv6 addresses to clusters, Pods, and services": load balancers reach IPv6
/// pods with ip targets only (the AWS Load Balancer Controller, dualstack), never instance
/// targets, and the in-tree service controller has no IPv6 support.
pub fn ipv6_refusal(
    kind: LbKind,
    controller: Controller,
    target_type: TargetType,
) -> Option<&'static str> {
    match (kind, controller, target_type) {
        (LbKind::Clb, _, _) | (_, Controller::InTree, _) => Some(
            "the in-tree cloud provider does not support IPv6: its load balancer cannot reach an IPv6 cluster's pods; use the AWS Load Balancer Controller with ip targets (dualstack)",
        ),
        (_, _, TargetType::Instance) => Some(
            "instance targets do not work in an IPv6 cluster: the load balancer reaches the nodes' IPv4 NodePort, and kube-proxy cannot forward IPv4 to an IPv6 pod; use ip targets (dualstack)",
        ),
        (_, _, TargetType::Ip) => None,
    }
}

/// One load balancer node: its ENI in one AZ's subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LbNode {
    pub az: String,
    pub subnet: usize,
    pub private_ip: Ipv4Addr,
    /// Internet-facing load balancers have a public address per AZ.
    pub public_ip: Option<Ipv4Addr>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadBalancer {
    /// Stable id, `lb:<name>`.
    pub id: crate::model::Id,
    /// `<namespace>/<service>` for a Service, the group name (or `<namespace>/<ingress>`) for an ALB.
    pub name: String,
    pub kind: LbKind,
    /// Who made it: the AWS Load Balancer Controller (every ALB) or the in-tree provider.
    pub controller: Controller,
    pub scheme: Scheme,
    /// Why it has that scheme.
    pub scheme_origin: SchemeOrigin,
    pub target_type: TargetType,
    /// How its subnets were chosen, and the subnets passed over with the reason.
    pub subnet_choice: SubnetChoice,
    /// ALBs always balance across zones; NLBs and CLBs only when asked (the AWS Load Balancer
    /// Controller and the in-tree provider both leave it off by default).
    pub cross_zone: bool,
    pub dns_name: String,
    pub nodes: Vec<LbNode>,
}

/// The AWS Load Balancer Controller skips subnets with fewer free addresses than this
/// (`defaultMinimalAvailableIPAddressCount` in `pkg/networking/subnet_resolver.go`).
pub const MIN_FREE_ADDRESSES: u32 = 8;

/// Who makes a load balancer, as the model sees it.
pub use crate::scenario::LoadBalancerController as Controller;

/// What subnet discovery needs to know of one subnet beyond the model's [`Subnet`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubnetTags {
    /// `kubernetes.io/role/elb` is set to `1` or empty.
    pub elb: bool,
    /// `kubernetes.io/role/internal-elb` is set to `1` or empty.
    pub internal_elb: bool,
    /// `kubernetes.io/cluster/<this cluster>` is set.
    pub this_cluster: bool,
    /// A `kubernetes.io/cluster/<other>` tag is set and none for this cluster.
    pub other_cluster_only: bool,
}

impl SubnetTags {
    /// Reads a subnet's EC2 tags for cluster `cluster`.
    pub fn read(tags: &std::collections::BTreeMap<String, String>, cluster: &str) -> SubnetTags {
        let role = |key: &str| tags.get(key).is_some_and(|v| v.is_empty() || v == "1");
        let this_cluster = tags.contains_key(&format!("kubernetes.io/cluster/{cluster}"));
        let any_cluster = tags.keys().any(|k| k.starts_with("kubernetes.io/cluster/"));
        SubnetTags {
            elb: role("kubernetes.io/role/elb"),
            internal_elb: role("kubernetes.io/role/internal-elb"),
            this_cluster,
            other_cluster_only: any_cluster && !this_cluster,
        }
    }

    fn role(self, scheme: Scheme) -> bool {
        match scheme {
            Scheme::InternetFacing => self.elb,
            Scheme::Internal => self.internal_elb,
        }
    }
}

/// Where a load balancer goes and why: the chosen subnets (one per AZ, in AZ order) and the
/// subnets passed over for a reason worth telling (too few free addresses, another cluster's).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubnetChoice {
    pub chosen: Vec<usize>,
    /// Subnet index and why it was passed over.
    pub skipped: Vec<(usize, String)>,
    /// How the subnets were found, for the inspector.
    pub how: String,
}

/// Which subnets a load balancer goes in.
///
/// - Named subnets (`loadBalancer.subnets`, the subnets annotation) are used as given, by
///   both controllers; validation made them exist and sit in distinct AZs.
/// - The AWS Load Balancer Controller (`pkg/networking/subnet_resolver.go`,
///   `docs/deploy/subnet_discovery.md`): the subnets carrying the scheme's role tag
///   (`kubernetes.io/role/elb` or `internal-elb`); when none carries it, the subnets whose
///   reachability fits (public for internet-facing, private for internal; v2.12.1 on). It
///   drops subnets tagged only for other clusters and those with fewer than 8 free
///   addresses, then takes one per AZ, this cluster's tag first.
/// - The in-tree provider (cloud-provider-aws `findELBSubnets`): every subnet, private ones
///   skipped for an internet-facing load balancer; one per AZ, preferring the role tag, then
///   this cluster's tag. It does not look at free addresses.
///
/// Both break the last tie by the lowest subnet id; the model has no ids and takes the first
/// in the document's order instead (the in-tree provider: a private subnet first).
pub fn lb_subnets(
    controller: Controller,
    scheme: Scheme,
    named: &[usize],
    subnets: &[Subnet],
    tags: &[SubnetTags],
    pools: &[AddressPool],
    azs: &[String],
) -> SubnetChoice {
    let tag = |i: usize| tags.get(i).copied().unwrap_or_default();
    let mut choice = SubnetChoice::default();
    if !named.is_empty() {
        choice.chosen = azs
            .iter()
            .filter_map(|az| named.iter().copied().find(|&i| &subnets[i].az == az))
            .collect();
        choice.how = "named in the subnets annotation, used as given".into();
        return choice;
    }
    let want_public = scheme == Scheme::InternetFacing;
    let role_key = match scheme {
        Scheme::InternetFacing => "kubernetes.io/role/elb",
        Scheme::Internal => "kubernetes.io/role/internal-elb",
    };
    let candidates: Vec<usize> = match controller {
        Controller::AwsLoadBalancerController => {
            let tagged: Vec<usize> = (0..subnets.len())
                .filter(|&i| tag(i).role(scheme))
                .collect();
            let mut candidates = if tagged.is_empty() {
                choice.how = format!(
                    "no subnet carries {role_key}, so the AWS Load Balancer Controller takes the {} subnets, one per AZ, each with at least {MIN_FREE_ADDRESSES} free addresses",
                    if want_public { "public" } else { "private" }
                );
                (0..subnets.len())
                    .filter(|&i| subnets[i].public == want_public)
                    .collect()
            } else {
                choice.how = format!(
                    "the AWS Load Balancer Controller takes the subnets tagged {role_key}, one per AZ, each with at least {MIN_FREE_ADDRESSES} free addresses"
                );
                tagged
            };
            candidates.retain(|&i| {
                if tag(i).other_cluster_only {
                    choice.skipped.push((i, "tagged for another cluster only".into()));
                    return false;
                }
                let free = pools.get(i).map_or(0, AddressPool::remaining);
                if free < MIN_FREE_ADDRESSES {
                    choice.skipped.push((i, format!(
                        "only {free} free address{}; the AWS Load Balancer Controller needs at least {MIN_FREE_ADDRESSES}",
                        if free == 1 { "" } else { "es" }
                    )));
                    return false;
                }
                true
            });
            candidates
        }
        Controller::InTree => {
            choice.how = format!(
                "the in-tree cloud provider takes one subnet per AZ{}, preferring those tagged {role_key}",
                if want_public { " among the public ones" } else { ", public or private (eksplain takes a private one first)" }
            );
            (0..subnets.len())
                .filter(|&i| !want_public || subnets[i].public)
                .collect()
        }
    };
    choice.chosen = azs
        .iter()
        .filter_map(|az| {
            let in_az = candidates.iter().copied().filter(|&i| &subnets[i].az == az);
            match controller {
                Controller::AwsLoadBalancerController => {
                    in_az.min_by_key(|&i| (!tag(i).this_cluster, i))
                }
                // Upstream's last tie-break is the lowest subnet id, which the model does
                // not have; it takes a private subnet before a public one (what
                // `findELBSubnets`'s comment says it intends for internal load balancers),
                // then the document's order.
                Controller::InTree => in_az.min_by_key(|&i| {
                    (
                        !tag(i).role(scheme),
                        !tag(i).this_cluster,
                        subnets[i].public,
                        i,
                    )
                }),
            }
        })
        .collect();
    choice
}

/// EC2's tag limits: 50 tags a resource, keys up to 128 characters, values up to 256.
const MAX_TAGS: usize = 50;
const MAX_TAG_KEY: usize = 128;
const MAX_TAG_VALUE: usize = 256;

/// Checks what the scenario says about load balancers beyond its shape: subnet tags within
/// EC2's limits, named subnets that exist and sit in distinct AZs (the controller refuses
/// "multiple subnets in same Availability Zone"), and a controller that can make what is asked
/// (only the in-tree provider makes Classic LBs; it registers instances only).
pub fn check_load_balancer_settings(
    scenario: &crate::scenario::Scenario,
    problems: &mut Vec<Problem>,
) {
    let vpc = Path::root().field("vpc").field("subnets");
    for (i, subnet) in scenario.vpc.subnets.iter().enumerate() {
        let path = vpc.index(i).field("tags");
        if subnet.tags.len() > MAX_TAGS {
            problems.push(Problem::new(
                path.clone(),
                format!(
                    "{} tags; EC2 allows at most {MAX_TAGS} on a subnet",
                    subnet.tags.len()
                ),
            ));
        }
        for (key, value) in &subnet.tags {
            crate::model::work::tick();
            let too_long = |text: &str, max: usize| text.chars().count() > max;
            if key.trim().is_empty() || too_long(key, MAX_TAG_KEY) {
                problems.push(Problem::new(
                    path.field(key),
                    format!("a tag key must have 1 to {MAX_TAG_KEY} characters"),
                ));
            } else if too_long(value, MAX_TAG_VALUE) {
                problems.push(Problem::new(
                    path.field(key),
                    format!("a tag value may have at most {MAX_TAG_VALUE} characters"),
                ));
            }
        }
    }
    // Name → index (the map type the model already has), then its AZ.
    let azs: std::collections::HashMap<&str, usize> = scenario
        .vpc
        .subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let az_of = |name: &str| azs.get(name).map(|&i| scenario.vpc.subnets[i].az.as_str());
    let check_named = |names: &[String], path: Path, problems: &mut Vec<Problem>| {
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (j, name) in names.iter().enumerate() {
            crate::model::work::tick();
            match az_of(name) {
                None => problems.push(Problem::new(
                    path.index(j),
                    format!("no subnet is named `{}`", name.escape_default()),
                )),
                Some(az) => match seen.iter().find(|(a, _)| *a == az) {
                    Some((_, other)) => problems.push(Problem::new(
                        path.index(j),
                        format!("subnets {other} and {name} are both in {az}; a load balancer takes one subnet per Availability Zone"),
                    )),
                    None => seen.push((az, name)),
                },
            }
        }
    };
    for (i, svc) in scenario.services.iter().enumerate() {
        let Some(spec) = &svc.load_balancer else {
            continue;
        };
        let path = Path::root()
            .field("services")
            .index(i)
            .field("loadBalancer");
        check_named(&spec.subnets, path.field("subnets"), problems);
        match (spec.controller, spec.kind, spec.target_type) {
            (Some(Controller::AwsLoadBalancerController), LoadBalancerKind::Clb, _) => {
                problems.push(Problem::new(
                    path.field("controller"),
                    "the AWS Load Balancer Controller makes NLBs, not Classic Load Balancers: set kind nlb, or controller in-tree",
                ))
            }
            (Some(Controller::InTree), _, TargetType::Ip) => problems.push(Problem::new(
                path.field("targetType"),
                "the in-tree cloud provider registers instances only: ip targets need controller aws-load-balancer-controller",
            )),
            _ => {}
        }
    }
    for (i, ing) in scenario.ingresses.iter().enumerate() {
        let path = Path::root().field("ingresses").index(i).field("subnets");
        check_named(&ing.subnets, path, problems);
    }
}

/// What a load balancer is asked to be.
pub struct LbRequest<'a> {
    pub name: &'a str,
    pub kind: LbKind,
    pub controller: Controller,
    pub scheme: Scheme,
    pub scheme_origin: SchemeOrigin,
    pub target_type: TargetType,
    pub cross_zone: bool,
}

/// Places a load balancer's nodes, taking one address in each of its subnets. `n` numbers
/// internet-facing load balancers so their public addresses differ (192.0.2.0/24, the
/// documentation range, stands for Amazon's).
pub fn place_load_balancer(
    req: LbRequest,
    choice: SubnetChoice,
    subnets: &[Subnet],
    pools: &mut [AddressPool],
    n: &mut u32,
) -> LoadBalancer {
    let LbRequest {
        name,
        kind,
        controller,
        scheme,
        scheme_origin,
        target_type,
        cross_zone,
    } = req;
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let hash = super::super::k8s::services::stable_hash(name) % 0xff_ffff;
    let region = subnets
        .first()
        .and_then(|s| super::vpc::region_of(&s.az))
        .unwrap_or("us-east-1")
        .to_string();
    let prefix = if scheme == Scheme::Internal {
        "internal-"
    } else {
        ""
    };
    let nodes = choice
        .chosen
        .iter()
        .filter_map(|&i| {
            let ip = pools[i].take()?;
            let public_ip = (scheme == Scheme::InternetFacing).then(|| {
                *n += 1;
                Ipv4Addr::new(192, 0, 2, (*n % 250) as u8 + 1)
            });
            Some(LbNode {
                az: subnets[i].az.clone(),
                subnet: i,
                private_ip: ip,
                public_ip,
            })
        })
        .collect();
    LoadBalancer {
        id: crate::model::Id::Lb(name.to_string()),
        name: name.to_string(),
        kind,
        controller,
        scheme,
        scheme_origin,
        target_type,
        subnet_choice: choice,
        cross_zone: kind == LbKind::Alb || cross_zone,
        dns_name: format!(
            "{prefix}k8s-{}-{hash:06x}.elb.{region}.amazonaws.com",
            slug.chars().take(24).collect::<String>()
        ),
        nodes,
    }
}
