//! The one entry point: a `Scenario` in, a `Cluster` (or every problem found) out.
//!
//! [`build`] checks the scenario, then runs the stages of ARCHITECTURE.md in the order AWS
//! creates things, each a method of [`State`] (or a function that hands its result to the
//! next): VPC, subnets and NAT gateways; the control plane; the node groups' instances;
//! nodes before pods ([`nodes`]); workloads scheduled ([`scheduling`]); CNI addressing
//! ([`addressing`]); services, ingresses and load balancers ([`services`]); usage and
//! findings ([`usage`]); and last the traffic check. [`check`] is the checking before any
//! address is taken; [`findings`] the list the stages add findings to.

mod addressing;
mod check;
mod findings;
mod groundwork;
mod nodes;
mod scheduling;
mod services;
mod usage;

use crate::model::Id;
use std::net::Ipv4Addr;
use std::rc::Rc;

use ipnet::IpNet;

use super::aws::eks_control_plane::{
    place_cross_account_enis, ControlPlane, CrossAccountEni, EndpointAccess,
};
use super::aws::load_balancer::LoadBalancer;
use super::aws::max_pods::CniVersion;
use super::aws::nat_gateway::NatGateway;
use super::aws::node_group::Placement as NodePlacement;
use super::aws::subnet::{AddressPool, Subnet};
use super::aws::vpc::Vpc;
use super::aws::vpc_cni::WarmPool;
use super::cluster::Cluster;
use super::finding::Finding;
use super::k8s::ingress::Ingress;
use super::k8s::service_cidr::nth;
use super::k8s::services::Service;
use super::node::Node;
use super::pod::Pod;
use crate::scenario::{IpFamily, Problem, Scenario};
use check::Checked;
use findings::Findings;
pub use groundwork::Groundwork;

/// Builds the cluster a scenario describes. Every problem is collected before giving up, so a
/// user sees them all at once — except a list over its limit (`scenario::limits`), which is
/// refused before any item is looked at.
///
/// Stages, in the order AWS creates things: the VPC and its NAT gateways, the EKS cluster (its
/// cross-account ENIs), the node groups' instances (each takes its primary address), what each
/// node is before any pod, the pods scheduled, then on every node the VPC CNI's ENIs and
/// addresses; then services and load balancers, usage and findings, and the flows checked.
pub fn build(scenario: &Scenario) -> Result<Cluster, Vec<Problem>> {
    build_on(scenario, None, false).map(|(cluster, _)| cluster)
}

/// A build another one may start from: its scenario, the cluster it built and that cluster's
/// [`Groundwork`] — the three of one build.
#[derive(Debug, Clone, Copy)]
pub struct Last<'a> {
    pub scenario: &'a Scenario,
    pub cluster: &'a Cluster,
    pub groundwork: &'a Rc<Groundwork>,
}

/// [`build`], starting after the pods from `last`'s groundwork when `scenario` differs from
/// `last.scenario` only in what is built after them (its Services, Ingresses, flows and
/// security groups: [`groundwork::same_inputs`]); the cluster is the one [`build`] makes.
/// Also gives the cluster's groundwork, for the next build: `last`'s own `Rc` when it
/// started from there.
pub fn build_after(
    scenario: &Scenario,
    last: Option<Last<'_>>,
) -> Result<(Cluster, Rc<Groundwork>), Vec<Problem>> {
    match build_on(scenario, last, true)? {
        (cluster, Some(groundwork)) => Ok((cluster, groundwork)),
        (_, None) => unreachable!("a build asked to keep its groundwork has one"),
    }
}

/// The stages, from `last`'s groundwork when it fits (then only the Services' part of the
/// check runs: `check::check_traffic`). The groundwork is `last`'s when the build started
/// from it, else made when `keep`.
fn build_on(
    scenario: &Scenario,
    last: Option<Last<'_>>,
    keep: bool,
) -> Result<(Cluster, Option<Rc<Groundwork>>), Vec<Problem>> {
    // Every list's length against its limit first: past one, no per-item check runs.
    crate::scenario::limits::check_counts(scenario)?;
    let resumable = last.filter(|last| {
        groundwork::same_inputs(last.scenario, scenario) && last.groundwork.fits(last.cluster)
    });
    let (mut state, template_of, templates, groundwork) = match resumable {
        Some(last) => {
            let (services, ingresses) =
                check::check_traffic(scenario, last.groundwork.service_cidr())?;
            let (state, template_of, templates) =
                last.groundwork
                    .resume(scenario, services, ingresses, last.cluster);
            (state, template_of, templates, Some(last.groundwork.clone()))
        }
        None => {
            let Checked {
                declared,
                placements,
                eks_subnets,
                templates,
            } = check::check_scenario(scenario)?;
            let mut state = State::new(scenario, declared);
            state.vpc_subnets_nat();
            state.control_plane(&eks_subnets)?;
            let launched = state.node_group_instances(placements);
            let drafts = state.nodes_before_pods(launched);
            let scheduled = state.workloads_scheduled(&drafts, templates)?;
            let (template_of, templates) = state.cni_addressing(drafts, scheduled);
            let made = keep.then(|| Rc::new(Groundwork::of(&state, &template_of, templates)));
            (state, template_of, templates, made)
        }
    };
    state.services_ingresses_load_balancers(&template_of, templates);
    state.usage_and_findings();
    let cluster = traffic_check(state.into_cluster(), scenario, &template_of)?;
    Ok((cluster, groundwork))
}

/// What the scenario declares, built and checked: the objects that exist before any address
/// is taken.
struct Declared {
    vpc: Vpc,
    subnets: Vec<Subnet>,
    nat_gateways: Vec<NatGateway>,
    cni_version: CniVersion,
    endpoint: EndpointAccess,
    service_cidr: IpNet,
    services: Vec<Service>,
    ingresses: Vec<Ingress>,
}

/// What the stages build up, in the order they fill it.
struct State<'a> {
    scenario: &'a Scenario,
    vpc: Vpc,
    subnets: Vec<Subnet>,
    nat_gateways: Vec<NatGateway>,
    cni_version: CniVersion,
    endpoint: EndpointAccess,
    service_cidr: IpNet,
    services: Vec<Service>,
    ingresses: Vec<Ingress>,
    /// Settings every node shares.
    ipv6: bool,
    warm: WarmPool,
    custom_networking: bool,
    /// Each subnet's free addresses (indexed as `subnets`).
    pools: Vec<AddressPool>,
    findings: Findings,
    /// The control plane's cross-account ENIs (stage 2).
    eks_enis: Vec<CrossAccountEni>,
    /// Stage 6: the nodes and the pod records, in pod order.
    nodes: Vec<Node>,
    pods: Vec<Pod>,
    /// Stage 7: the AZs in subnet order, and the load balancers.
    azs: Vec<String>,
    load_balancers: Vec<LoadBalancer>,
}

/// Node group instances that took their primary address (stage 3).
type Launched = Vec<(NodePlacement, Ipv4Addr)>;

impl<'a> State<'a> {
    fn new(scenario: &'a Scenario, d: Declared) -> State<'a> {
        let cni = &scenario.cluster.vpc_cni;
        let warm = WarmPool::from_settings(cni, &d.cni_version);
        State {
            scenario,
            pools: d.subnets.iter().map(|s| AddressPool::new(s.cidr)).collect(),
            vpc: d.vpc,
            subnets: d.subnets,
            nat_gateways: d.nat_gateways,
            cni_version: d.cni_version,
            endpoint: d.endpoint,
            service_cidr: d.service_cidr,
            services: d.services,
            ingresses: d.ingresses,
            ipv6: scenario.cluster.ip_family == IpFamily::IPv6,
            warm,
            custom_networking: !cni.custom_networking.is_empty(),
            findings: Findings::default(),
            eks_enis: Vec::new(),
            nodes: Vec::new(),
            pods: Vec::new(),
            azs: Vec::new(),
            load_balancers: Vec::new(),
        }
    }

    /// Stage 1, VPC, subnets and NAT gateways: the NAT gateways exist before the cluster, and
    /// each takes its subnet's first free address.
    fn vpc_subnets_nat(&mut self) {
        for nat in &mut self.nat_gateways {
            nat.private_ip = self.pools[nat.subnet].take();
            if nat.private_ip.is_none() {
                self.findings.push(Finding::error(
                    &nat.id,
                    format!(
                        "the NAT gateway could not be created: subnet {} has no free address",
                        self.subnets[nat.subnet].name
                    ),
                ));
            }
        }
    }

    /// Stage 2, the control plane: EKS places its cross-account ENIs in the control plane's
    /// subnets.
    fn control_plane(&mut self, eks_subnets: &[usize]) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        self.eks_enis =
            place_cross_account_enis(eks_subnets, &self.subnets, &mut self.pools, &mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Stage 3, node group instances: every node takes its primary address first, as an Auto
    /// Scaling group launches them.
    fn node_group_instances(&mut self, placements: Vec<NodePlacement>) -> Launched {
        let mut launched = Vec::with_capacity(placements.len());
        for placement in placements {
            match self.pools[placement.subnet].take() {
                Some(ip) => launched.push((placement, ip)),
                None => self.findings.push(Finding::error(
                    Id::Node(placement.name.clone()),
                    format!(
                        "{} could not launch: subnet {} has no free address (InsufficientFreeAddressesInSubnet)",
                        placement.name, self.subnets[placement.subnet].name
                    ),
                )),
            }
        }
        launched
    }

    /// The cluster the stages made.
    fn into_cluster(self) -> Cluster {
        let service_cidr = self.service_cidr;
        Cluster {
            name: self.scenario.cluster.name.clone(),
            vpc: self.vpc,
            azs: self.azs,
            internet_gateway: self.subnets.iter().any(|s| s.public),
            subnets: self.subnets,
            nat_gateways: self.nat_gateways,
            control_plane: ControlPlane {
                enis: self.eks_enis,
                endpoint: self.endpoint,
                cluster_security_group: format!("eks-cluster-sg-{}", self.scenario.cluster.name),
            },
            nodes: self.nodes,
            pods: self.pods,
            service_cidr,
            cluster_dns: nth(service_cidr, 10),
            services: self.services,
            ingresses: self.ingresses,
            load_balancers: self.load_balancers,
            cni: self.scenario.cluster.vpc_cni.clone(),
            findings: self.findings.into_vec(),
        }
    }
}

/// The last stage, the traffic check: flows and security group rules name things that exist
/// only now.
fn traffic_check(
    cluster: Cluster,
    scenario: &Scenario,
    template_of: &[usize],
) -> Result<Cluster, Vec<Problem>> {
    let problems = super::traffic::check_built(&cluster, scenario, template_of);
    if problems.is_empty() {
        Ok(cluster)
    } else {
        Err(problems)
    }
}
