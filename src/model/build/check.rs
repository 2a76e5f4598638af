//! Before any address is taken: the scenario's objects built and every reference between
//! them checked, every problem collected (in the scenario's order) before giving up.

use std::collections::HashMap;

use ipnet::IpNet;

use crate::model::fast_hash::FastSet;

use super::Declared;
use crate::model::aws::eks_control_plane::check_control_plane;
use crate::model::aws::max_pods::CniVersion;
use crate::model::aws::nat_gateway::place_nat_gateways;
use crate::model::aws::node_group::place_nodes;
use crate::model::aws::node_group::Placement as NodePlacement;
use crate::model::aws::subnet::Subnet;
use crate::model::aws::vpc::{build_subnets, build_vpc};
use crate::model::k8s::ingress::{build_ingresses, Ingress};
use crate::model::k8s::pods::{pod_templates, PodTemplate};
use crate::model::k8s::service_cidr::service_cidr;
use crate::model::k8s::services::{build_services, system_services, Service};
use crate::scenario::{IpFamily, Path, Problem, Scenario};

/// The checked scenario: what the stages start from.
pub(super) struct Checked {
    pub(super) declared: Declared,
    /// The node groups' nodes, in launch order (stage 3 launches them).
    pub(super) placements: Vec<NodePlacement>,
    /// The subnets EKS puts its cross-account ENIs in (stage 2).
    pub(super) eks_subnets: Vec<usize>,
    /// The workloads' pod templates (stage 5).
    pub(super) templates: Vec<PodTemplate>,
}

/// Builds what the scenario declares and checks it: the VPC and its subnets, NAT gateways,
/// node placements, the VPC CNI settings, the control plane's subnets and endpoint, the
/// service CIDR, services, ingresses and workloads. Every problem at once. A check that reads
/// the Services or Ingresses runs in [`check_traffic`] too.
pub(super) fn check_scenario(scenario: &Scenario) -> Result<Checked, Vec<Problem>> {
    let mut problems = Vec::new();
    let vpc = build_vpc(&scenario.vpc, &mut problems);
    let subnets = build_subnets(&scenario.vpc, vpc.as_ref(), &mut problems);
    let nat_gateways = place_nat_gateways(scenario.vpc.nat_gateways, &subnets, &mut problems);
    let declared: Vec<&str> = scenario
        .vpc
        .subnets
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let placements = place_nodes(
        &scenario.managed_node_groups,
        &subnets,
        &declared,
        &mut problems,
    );
    check_subnet_references(scenario, &mut problems);
    crate::model::aws::load_balancer::check_load_balancer_settings(scenario, &mut problems);
    check_node_states(scenario, &placements, &mut problems);
    let cni_version = check_cni(scenario, &subnets, &mut problems);
    // Judge the control plane's subnets only when every subnet is valid, so one bad CIDR does
    // not also read as "too few AZs".
    let all_subnets = subnets.len() == scenario.vpc.subnets.len();
    let (endpoint, eks_subnets) =
        check_control_plane(&scenario.cluster, &subnets, all_subnets, &mut problems);
    let service_cidr = vpc.as_ref().map(|v| {
        service_cidr(
            scenario.cluster.service_ipv4_cidr.as_deref(),
            scenario.cluster.service_ipv6_cidr.as_deref(),
            scenario.cluster.ip_family,
            &scenario.cluster.name,
            v,
            &mut problems,
        )
    });
    let mut services: Vec<Service> = Vec::new();
    if let Some(cidr) = service_cidr {
        services.extend(system_services(cidr));
        services.extend(build_services(&scenario.services, cidr, &mut problems));
    }
    let ingresses = build_ingresses(&scenario.ingresses, &services, &mut problems);
    let templates = match pod_templates(&scenario.workloads) {
        Ok(t) => t,
        Err(p) => {
            problems.extend(p);
            Vec::new()
        }
    };
    let (Some(vpc), Some(cni_version), Some(service_cidr), true) =
        (vpc, cni_version, service_cidr, problems.is_empty())
    else {
        return Err(problems);
    };
    Ok(Checked {
        declared: Declared {
            vpc,
            subnets,
            nat_gateways,
            cni_version,
            endpoint,
            service_cidr,
            services,
            ingresses,
        },
        placements,
        eks_subnets,
        templates,
    })
}

/// The check of a build that starts from a groundwork (`groundwork.rs`): what reads the
/// Services and Ingresses, in [`check_scenario`]'s order. The rest reads only the groundwork's
/// inputs, which passed it then and would pass it again, so the problems are
/// `check_scenario`'s. Gives the Services (the system ones first) and the Ingresses.
pub(super) fn check_traffic(
    scenario: &Scenario,
    service_cidr: IpNet,
) -> Result<(Vec<Service>, Vec<Ingress>), Vec<Problem>> {
    let mut problems = Vec::new();
    crate::model::aws::load_balancer::check_load_balancer_settings(scenario, &mut problems);
    let mut services: Vec<Service> = system_services(service_cidr).into();
    services.extend(build_services(
        &scenario.services,
        service_cidr,
        &mut problems,
    ));
    let ingresses = build_ingresses(&scenario.ingresses, &services, &mut problems);
    if problems.is_empty() {
        Ok((services, ingresses))
    } else {
        Err(problems)
    }
}

/// `nodeStates` must name nodes the node groups create.
fn check_node_states(
    scenario: &Scenario,
    placements: &[NodePlacement],
    problems: &mut Vec<Problem>,
) {
    if scenario.node_states.is_empty() {
        return;
    }
    let nodes: FastSet<&str> = placements.iter().map(|p| p.name.as_str()).collect();
    for name in scenario.node_states.keys() {
        crate::model::work::tick();
        if !nodes.contains(name.as_str()) {
            let some: Vec<&str> = placements.iter().take(3).map(|p| p.name.as_str()).collect();
            problems.push(Problem::new(
                Path::root().field("nodeStates").field(name),
                format!(
                    "no node is named `{}`; nodes are named like {}",
                    name.escape_default(),
                    some.join(", ")
                ),
            ));
        }
    }
}

/// Names of subnets used elsewhere in the scenario must exist. A declared subnet that failed
/// its own checks counts as known: it is reported once, at its own field.
fn check_subnet_references(scenario: &Scenario, problems: &mut Vec<Problem>) {
    let names: std::collections::HashSet<&str> = scenario
        .vpc
        .subnets
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let known = |name: &str| {
        crate::model::work::tick();
        names.contains(name)
    };
    let cluster = Path::root().field("cluster");
    for (i, name) in scenario.cluster.control_plane_subnets.iter().enumerate() {
        if !known(name) {
            problems.push(Problem::new(
                cluster.field("controlPlaneSubnets").index(i),
                format!("no subnet is named `{}`", name.escape_default()),
            ));
        }
    }
    for (az, name) in &scenario.cluster.vpc_cni.custom_networking {
        if !known(name) {
            problems.push(Problem::new(
                cluster.field("vpcCni").field("customNetworking").field(az),
                format!("no subnet is named `{}`", name.escape_default()),
            ));
        }
    }
}

/// Checks the VPC CNI settings; returns the parsed version when it is valid.
fn check_cni(
    scenario: &Scenario,
    subnets: &[Subnet],
    problems: &mut Vec<Problem>,
) -> Option<CniVersion> {
    let cni = &scenario.cluster.vpc_cni;
    let path = Path::root().field("cluster").field("vpcCni");
    let version = match CniVersion::parse(&cni.version) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(Problem::new(path.field("version"), e.to_string()));
            None
        }
    };
    // Name → index (the map type the build already uses).
    let by_name: HashMap<&str, usize> = subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    for (az, name) in &cni.custom_networking {
        crate::model::work::tick();
        if let Some(s) = by_name.get(name.as_str()).map(|&i| &subnets[i]) {
            if &s.az != az {
                problems.push(Problem::new(
                    path.field("customNetworking").field(az),
                    format!("subnet {name} is in {}, but an ENIConfig for {az} must name a subnet in {az}", s.az),
                ));
            }
        }
    }
    if scenario.cluster.ip_family == IpFamily::IPv6 {
        if !cni.prefix_delegation {
            problems.push(Problem::new(
                path.field("prefixDelegation"),
                "IPv6 clusters need prefix delegation: set prefixDelegation to true",
            ));
        }
        if !cni.custom_networking.is_empty() {
            problems.push(Problem::new(
                path.field("customNetworking"),
                "custom networking is not supported in IPv6 clusters",
            ));
        }
    }
    if cni.prefix_delegation
        && cni.warm_prefix_target == Some(0)
        && !(cni.warm_ip_target.is_some() || cni.minimum_ip_target.is_some())
    {
        problems.push(Problem::new(
            path.field("warmPrefixTarget"),
            "0 is not supported with prefix delegation unless WARM_IP_TARGET or MINIMUM_IP_TARGET is set",
        ));
    }
    version
}

#[cfg(test)]
mod tests {
    use crate::model::build;
    use crate::scenario::{default_scenario, IpFamily};

    fn problems(s: &crate::scenario::Scenario) -> Vec<String> {
        match build(s) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// EKS user guide, "IPv6 addresses for clusters, Pods, and services"
    /// (https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html): IPv6 works only in
    /// prefix assignment mode, and custom networking is not supported with IPv6.
    #[test]
    fn ipv6_needs_prefix_delegation_and_refuses_custom_networking() {
        let mut s = default_scenario();
        s.cluster.ip_family = IpFamily::IPv6;
        s.cluster
            .vpc_cni
            .custom_networking
            .insert("us-east-1a".into(), "private-a".into());
        let p = problems(&s);
        assert!(
            p.iter().any(|m| m.starts_with(
                "cluster.vpcCni.prefixDelegation: IPv6 clusters need prefix delegation"
            )),
            "{p:?}"
        );
        assert!(
            p.iter().any(|m| m.starts_with(
                "cluster.vpcCni.customNetworking: custom networking is not supported in IPv6"
            )),
            "{p:?}"
        );
        s.cluster.vpc_cni.custom_networking.clear();
        s.cluster.vpc_cni.prefix_delegation = true;
        assert_eq!(problems(&s), Vec::<String>::new());
    }

    /// amazon-vpc-cni-k8s `docs/prefix-and-ip-target.md`: WARM_PREFIX_TARGET=0 is not supported
    /// unless WARM_IP_TARGET or MINIMUM_IP_TARGET is set.
    #[test]
    fn warm_prefix_target_zero_needs_an_ip_target() {
        let mut s = default_scenario();
        s.cluster.vpc_cni.prefix_delegation = true;
        s.cluster.vpc_cni.warm_prefix_target = Some(0);
        let p = problems(&s);
        assert!(
            p.iter()
                .any(|m| m.starts_with("cluster.vpcCni.warmPrefixTarget: 0 is not supported")),
            "{p:?}"
        );
        s.cluster.vpc_cni.warm_ip_target = Some(5);
        assert_eq!(problems(&s), Vec::<String>::new());
    }
}
