//! Load balancers for LoadBalancer Services (NLB from the AWS Load Balancer Controller, or a
//! Classic LB from the in-tree provider) and for Ingresses (ALB, one per IngressGroup): which
//! subnets they sit in and the addresses they take there.

use std::net::Ipv4Addr;

use super::subnet::{AddressPool, Subnet};
use crate::scenario::{LoadBalancerKind, Scheme, TargetType};

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
    pub scheme: Scheme,
    pub target_type: TargetType,
    /// ALBs always balance across zones; NLBs and CLBs only when asked (the AWS Load Balancer
    /// Controller and the in-tree provider both leave it off by default).
    pub cross_zone: bool,
    pub dns_name: String,
    pub nodes: Vec<LbNode>,
}

/// Subnets a load balancer goes in: for each AZ (in cluster order), the first public subnet when
/// internet-facing, else the first private one — the AWS Load Balancer Controller's subnet
/// discovery with the usual `kubernetes.io/role/elb` / `internal-elb` tags.
pub fn lb_subnets(scheme: Scheme, subnets: &[Subnet], azs: &[String]) -> Vec<usize> {
    let want_public = scheme == Scheme::InternetFacing;
    azs.iter()
        .filter_map(|az| {
            subnets
                .iter()
                .position(|s| &s.az == az && s.public == want_public)
        })
        .collect()
}

/// What a load balancer is asked to be.
pub struct LbRequest<'a> {
    pub name: &'a str,
    pub kind: LbKind,
    pub scheme: Scheme,
    pub target_type: TargetType,
    pub cross_zone: bool,
}

/// Places a load balancer's nodes, taking one address in each of its subnets. `n` numbers
/// internet-facing load balancers so their public addresses differ (192.0.2.0/24, the
/// documentation range, stands for Amazon's).
pub fn place_load_balancer(
    req: LbRequest,
    chosen: &[usize],
    subnets: &[Subnet],
    pools: &mut [AddressPool],
    n: &mut u32,
) -> LoadBalancer {
    let LbRequest {
        name,
        kind,
        scheme,
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
    let nodes = chosen
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
        scheme,
        target_type,
        cross_zone: kind == LbKind::Alb || cross_zone,
        dns_name: format!(
            "{prefix}k8s-{}-{hash:06x}.elb.{region}.amazonaws.com",
            slug.chars().take(24).collect::<String>()
        ),
        nodes,
    }
}
