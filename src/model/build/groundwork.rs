//! [`Groundwork`]: what [`build`](super::build) has made of a scenario before its Services —
//! stages 1 to 6, the network, the nodes and the pods — so that a scenario which differs only
//! in what is built after the pods (its Services, Ingresses, flows and security groups) is
//! built from there ([`build_after`](super::build_after)), not from scratch: a toggle of a
//! Service's externalTrafficPolicy schedules and addresses 3,000 pods once, not on every click.
//!
//! The nodes and pods themselves are not kept here: stages 7 to 9 read them and never change
//! them, so the last cluster's are those of its groundwork. What is kept is small: the
//! subnets' free addresses, the findings so far, the VPC, subnets and NAT gateways as stage 6
//! left them, and each pod's template.
//!
//! [`same_inputs`] names every field of [`Scenario`]: each is either compared or named as one
//! only the check and stages 7 to 9 read. Such a build runs the part of the check that reads
//! them (`check::check_traffic`); the rest passed on the same inputs before, so a problem is
//! reported exactly as a build from scratch reports it.

use ipnet::IpNet;

use super::findings::Findings;
use super::State;
use crate::model::aws::eks_control_plane::{CrossAccountEni, EndpointAccess};
use crate::model::aws::max_pods::CniVersion;
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::{AddressPool, Subnet};
use crate::model::aws::vpc::Vpc;
use crate::model::aws::vpc_cni::WarmPool;
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::Cluster;
use crate::scenario::Scenario;

/// The state of a build after its pods (stage 6), but the nodes and pods, which its cluster
/// holds unchanged. Made by [`build_after`](super::build_after) when it builds from scratch.
#[derive(Debug, Clone)]
pub struct Groundwork {
    vpc: Vpc,
    subnets: Vec<Subnet>,
    nat_gateways: Vec<NatGateway>,
    cni_version: CniVersion,
    endpoint: EndpointAccess,
    service_cidr: IpNet,
    ipv6: bool,
    warm: WarmPool,
    custom_networking: bool,
    pools: Vec<AddressPool>,
    findings: Findings,
    eks_enis: Vec<CrossAccountEni>,
    /// Each pod's template, and how many templates there are (stage 7's pod index).
    template_of: Vec<usize>,
    templates: usize,
    /// How many nodes and pods the cluster built on it has ([`Groundwork::fits`]).
    nodes: usize,
    pods: usize,
}

/// Whether the stages up to the pods see the same inputs in `a` and `b`: every field but the
/// Services, Ingresses, flows and security groups, which only the check's traffic part and
/// the stages after the pods read. Every field is named, so a new one does
/// not compile until it is put on one side.
pub fn same_inputs(a: &Scenario, b: &Scenario) -> bool {
    let Scenario {
        version,
        name,
        description,
        vpc,
        cluster,
        managed_node_groups,
        workloads,
        node_states,
        // Read by the check, stage 7 (Services, Ingresses, load balancers) and stage 9 (the
        // traffic check) only.
        services: _,
        ingresses: _,
        flows: _,
        security_groups: _,
    } = a;
    *version == b.version
        && *name == b.name
        && *description == b.description
        && *vpc == b.vpc
        && *cluster == b.cluster
        && *node_states == b.node_states
        && *managed_node_groups == b.managed_node_groups
        && *workloads == b.workloads
}

impl Groundwork {
    /// The groundwork of `state`, just after its pods (stage 6).
    pub(super) fn of(state: &State<'_>, template_of: &[usize], templates: usize) -> Groundwork {
        let State {
            scenario: _,
            vpc,
            subnets,
            nat_gateways,
            cni_version,
            endpoint,
            service_cidr,
            // The scenario's, made again by each build's check.
            services: _,
            ingresses: _,
            ipv6,
            warm,
            custom_networking,
            pools,
            findings,
            eks_enis,
            nodes,
            pods,
            // Filled from stage 7 on.
            azs: _,
            load_balancers: _,
        } = state;
        Groundwork {
            vpc: vpc.clone(),
            subnets: subnets.clone(),
            nat_gateways: nat_gateways.clone(),
            cni_version: cni_version.clone(),
            endpoint: endpoint.clone(),
            service_cidr: *service_cidr,
            ipv6: *ipv6,
            warm: *warm,
            custom_networking: *custom_networking,
            pools: pools.clone(),
            findings: findings.clone(),
            eks_enis: eks_enis.clone(),
            template_of: template_of.to_vec(),
            templates,
            nodes: nodes.len(),
            pods: pods.len(),
        }
    }

    /// The service CIDR, which the Services' check takes its ClusterIPs from.
    pub(super) fn service_cidr(&self) -> IpNet {
        self.service_cidr
    }

    /// Whether `cluster` can be the cluster built on this groundwork (a guard against a
    /// caller mixing builds up: it has as many nodes and pods).
    pub(super) fn fits(&self, cluster: &Cluster) -> bool {
        cluster.nodes.len() == self.nodes && cluster.pods.len() == self.pods
    }

    /// The state after stage 6 again, for `scenario` (whose [`same_inputs`] as the groundwork's
    /// hold) with its own Services and Ingresses from its check, and the nodes and pods of
    /// `cluster`, the cluster built on this groundwork ([`Groundwork::fits`]).
    pub(super) fn resume<'a>(
        &self,
        scenario: &'a Scenario,
        services: Vec<Service>,
        ingresses: Vec<Ingress>,
        cluster: &Cluster,
    ) -> (State<'a>, Vec<usize>, usize) {
        let state = State {
            scenario,
            vpc: self.vpc.clone(),
            subnets: self.subnets.clone(),
            nat_gateways: self.nat_gateways.clone(),
            cni_version: self.cni_version.clone(),
            endpoint: self.endpoint.clone(),
            service_cidr: self.service_cidr,
            services,
            ingresses,
            ipv6: self.ipv6,
            warm: self.warm,
            custom_networking: self.custom_networking,
            pools: self.pools.clone(),
            findings: self.findings.clone(),
            eks_enis: self.eks_enis.clone(),
            nodes: cluster.nodes.clone(),
            pods: cluster.pods.clone(),
            azs: Vec::new(),
            load_balancers: Vec::new(),
        };
        (state, self.template_of.clone(), self.templates)
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::*;
    use crate::model::build::{build, build_after, Last};
    use crate::scenario::{
        scale_scenario, Flow, LoadBalancerController, ServiceType, TargetType, TrafficPolicy,
    };

    /// The default scenario, every gallery scenario and a generated one.
    fn scenarios() -> Vec<Scenario> {
        crate::scenario::shipped_scenarios()
    }

    /// Edits of what is built after the pods only: every Service's settings, a Service and an
    /// Ingress gone, flows and security groups changed, a selector that selects nothing, a
    /// flow to nowhere (a problem of the traffic check) and a duplicate Service (one of the
    /// check).
    fn traffic_edits(s: &Scenario) -> Vec<Scenario> {
        let mut out = Vec::new();
        let mut edit = |change: &dyn Fn(&mut Scenario)| {
            let mut e = s.clone();
            change(&mut e);
            out.push(e);
        };
        for i in 0..s.services.len() {
            edit(&|e| {
                let x = &mut e.services[i];
                x.external_traffic_policy = match x.external_traffic_policy {
                    TrafficPolicy::Cluster => TrafficPolicy::Local,
                    TrafficPolicy::Local => TrafficPolicy::Cluster,
                }
            });
            edit(&|e| e.services[i].internal_traffic_policy = TrafficPolicy::Local);
            edit(&|e| {
                let lb = e.services[i]
                    .load_balancer
                    .get_or_insert_with(Default::default);
                lb.target_type = match lb.target_type {
                    TargetType::Instance => TargetType::Ip,
                    TargetType::Ip => TargetType::Instance,
                };
                lb.cross_zone = !lb.cross_zone;
            });
            edit(&|e| e.services[i].service_type = ServiceType::NodePort);
            edit(&|e| {
                e.services[i]
                    .selector
                    .insert("app".into(), "nothing-has-this".into());
            });
            edit(&|e| {
                e.services.remove(i);
            });
            // Problems of the check's Services part: a subnet that does not exist, a
            // controller that cannot make the target type.
            edit(&|e| {
                let lb = e.services[i]
                    .load_balancer
                    .get_or_insert_with(Default::default);
                lb.subnets = vec!["no-such-subnet".into()];
            });
            edit(&|e| {
                let lb = e.services[i]
                    .load_balancer
                    .get_or_insert_with(Default::default);
                lb.controller = Some(LoadBalancerController::InTree);
                lb.target_type = TargetType::Ip;
            });
        }
        edit(&|e| {
            if let Some(ingress) = e.ingresses.first_mut() {
                ingress.subnets = vec!["no-such-subnet".into()];
            }
        });
        edit(&|e| e.ingresses.truncate(e.ingresses.len().saturating_sub(1)));
        edit(&|e| e.flows.clear());
        edit(&|e| e.security_groups.clear());
        edit(&|e| {
            e.flows.push(Flow {
                from: "internet".into(),
                to: "service/not-there".into(),
            })
        });
        edit(&|e| {
            if let Some(first) = e.services.first().cloned() {
                e.services.push(first);
            }
        });
        out
    }

    #[test]
    fn a_build_after_a_traffic_edit_is_the_build_from_scratch() {
        let (mut resumed, mut refused) = (0, 0);
        for s in scenarios() {
            let Ok((cluster, groundwork)) = build_after(&s, None) else {
                continue;
            };
            assert_eq!(Ok(&cluster), build(&s).as_ref(), "{}", s.name);
            let last = Last {
                scenario: &s,
                cluster: &cluster,
                groundwork: &groundwork,
            };
            for e in traffic_edits(&s) {
                assert!(same_inputs(&s, &e));
                match (build_after(&e, Some(last)), build(&e)) {
                    (Ok((after, kept)), Ok(scratch)) => {
                        assert_eq!(after, scratch, "{}", s.name);
                        assert!(Rc::ptr_eq(&kept, &groundwork), "{}", s.name);
                        // And from there on (the groundwork of the first build, the
                        // cluster of this one).
                        let next = Last {
                            scenario: &e,
                            cluster: &after,
                            groundwork: &kept,
                        };
                        assert_eq!(build_after(&s, Some(next)).unwrap().0, cluster);
                        resumed += 1;
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!(a, b, "{}", s.name);
                        refused += 1;
                    }
                    (a, b) => panic!("{}: {:?} vs {:?}", s.name, a.is_ok(), b.is_ok()),
                }
            }
        }
        assert!(
            resumed > 50 && refused > 5,
            "{resumed} resumed, {refused} refused"
        );
    }

    #[test]
    fn any_other_edit_builds_from_scratch() {
        let s = scale_scenario(6);
        let (cluster, groundwork) = build_after(&s, None).unwrap();
        let last = Last {
            scenario: &s,
            cluster: &cluster,
            groundwork: &groundwork,
        };
        let mut more = s.clone();
        more.workloads[0].replicas += 1;
        let mut renamed = s.clone();
        renamed.cluster.name = "other".into();
        let mut drained = s.clone();
        drained.node_states.insert(
            cluster.nodes[0].name.clone(),
            crate::scenario::NodeState::Drained,
        );
        for e in [more, renamed, drained] {
            assert!(!same_inputs(&s, &e));
            let (after, made) = build_after(&e, Some(last)).unwrap();
            assert!(!Rc::ptr_eq(&made, &groundwork));
            assert_eq!(after, build(&e).unwrap());
        }
        // A cluster of another build is not taken for this groundwork's.
        let (other, _) = build_after(&scale_scenario(5), None).unwrap();
        let mixed = Last {
            cluster: &other,
            ..last
        };
        let (after, made) = build_after(&s, Some(mixed)).unwrap();
        assert!(!Rc::ptr_eq(&made, &groundwork));
        assert_eq!(after, cluster);
    }
}
