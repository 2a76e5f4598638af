//! Stage 7, services, ingresses and load balancers: the EndpointSlice controller's endpoints
//! behind each Service, then an NLB or CLB per LoadBalancer Service and an ALB per
//! IngressGroup, each taking an address in one subnet per AZ.

use std::collections::HashMap;
use std::net::IpAddr;

use super::findings::Findings;
use super::State;
use crate::model::aws::load_balancer::{
    branch_pods_refuse_instance_local, ipv6_refusal, lb_subnets, place_load_balancer, Controller,
    LbKind, LbRequest, LoadBalancer, SubnetChoice, SubnetTags,
};
use crate::model::aws::subnet::{AddressPool, Subnet};
use crate::model::finding::Finding;
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::{endpoints, Endpoint, PodIndex, Service};
use crate::model::shared_str::SharedStr;
use crate::scenario::{
    IpFamily, LoadBalancerKind, Protocol, Scenario, Scheme, SchemeOrigin, TargetType, TrafficPolicy,
};

impl State<'_> {
    /// Every Service's endpoints, the AZs in subnet order, and the load balancers.
    /// `template_of` is each pod's template, of `templates`.
    pub(super) fn services_ingresses_load_balancers(
        &mut self,
        template_of: &[usize],
        templates: usize,
    ) {
        let (nodes, pods) = (&self.nodes, &self.pods);
        // The EndpointSlice controller: ready pods behind each selector; `kubernetes` is the API
        // server itself, on the cross-account ENIs.
        // One shared name per AZ for the endpoints.
        let mut az_names: Vec<SharedStr> = Vec::new();
        let mut intern_az = |az: &str| match az_names.iter().find(|a| **a == az) {
            Some(a) => a.clone(),
            None => {
                let a = SharedStr::from(az);
                az_names.push(a.clone());
                a
            }
        };
        let node_az: Vec<SharedStr> = nodes.iter().map(|n| intern_az(&n.az)).collect();
        let api_server = SharedStr::from("kube-apiserver");
        let api_server_enis: Vec<Endpoint> = self
            .eks_enis
            .iter()
            .map(|e| Endpoint {
                pod: api_server.clone(),
                ip: IpAddr::V4(e.ip),
                node: None,
                az: intern_az(&e.az),
            })
            .collect();
        let index = PodIndex::new(pods, template_of, templates);
        for svc in self.services.iter_mut() {
            svc.endpoints = if svc.system && svc.name == "kubernetes" {
                api_server_enis.clone()
            } else {
                endpoints(svc, pods, &index, &node_az)
            };
        }
        drop(index);
        self.flag_branch_pods_behind_instance_local();

        let mut azs: Vec<String> = Vec::new();
        for s in &self.subnets {
            if !azs.contains(&s.az) {
                azs.push(s.az.clone());
            }
        }
        self.load_balancers = place_load_balancers(
            self.scenario,
            &mut self.services,
            &mut self.ingresses,
            &self.subnets,
            &azs,
            &mut self.pools,
            &mut self.findings,
        );
        self.azs = azs;
    }
}

impl State<'_> {
    /// Pods with their own security groups behind instance targets with
    /// `externalTrafficPolicy: Local`: unsupported in strict mode (EKS user guide, security
    /// groups for pods, considerations), so a finding names the Service and the pods.
    fn flag_branch_pods_behind_instance_local(&mut self) {
        let mode = self
            .scenario
            .cluster
            .vpc_cni
            .pod_security_group_enforcing_mode;
        if !branch_pods_refuse_instance_local(mode, &self.cni_version) {
            return;
        }
        for svc in &self.services {
            let Some(spec) = &svc.load_balancer else {
                continue;
            };
            let instance =
                spec.kind == LoadBalancerKind::Clb || spec.target_type == TargetType::Instance;
            if !instance || svc.external_traffic_policy != TrafficPolicy::Local {
                continue;
            }
            let branch: Vec<&str> = svc
                .endpoints
                .iter()
                .filter(|e| {
                    e.node
                        .is_some_and(|n| self.nodes[n].branches.iter().any(|b| *b.pod == *e.pod))
                })
                .map(|e| &*e.pod)
                .collect();
            if let Some(first) = branch.first() {
                self.findings.push(Finding::warning(
                    &svc.id,
                    format!(
                        "service {}: {} endpoint pod{} ({first}{}) {} its own security groups, and EKS does not support such pods behind instance targets with externalTrafficPolicy Local in strict mode: use ip targets, externalTrafficPolicy Cluster, or POD_SECURITY_GROUP_ENFORCING_MODE=standard (VPC CNI 1.11+)",
                        svc.name,
                        branch.len(),
                        if branch.len() == 1 { "" } else { "s" },
                        if branch.len() > 1 { ", …" } else { "" },
                        if branch.len() == 1 { "has" } else { "have" },
                    ),
                ));
            }
        }
    }
}

/// Load balancers: an NLB (AWS Load Balancer Controller or in-tree) or CLB (in-tree) per
/// LoadBalancer service, an ALB per IngressGroup; each takes an address in one subnet per AZ
/// ([`lb_subnets`] says which).
fn place_load_balancers(
    scenario: &Scenario,
    services: &mut [Service],
    ingresses: &mut [Ingress],
    subnets: &[Subnet],
    azs: &[String],
    pools: &mut [AddressPool],
    findings: &mut Findings,
) -> Vec<LoadBalancer> {
    let mut lbs: Vec<LoadBalancer> = Vec::new();
    let mut public = 0;
    let ipv6 = scenario.cluster.ip_family == IpFamily::IPv6;
    // Name → index in the scenario's list (the map type the build already uses).
    let declared: HashMap<&str, usize> = scenario
        .vpc
        .subnets
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let tags: Vec<SubnetTags> = subnets
        .iter()
        .map(|s| {
            declared
                .get(s.name.as_str())
                .map(|&d| SubnetTags::read(&scenario.vpc.subnets[d].tags, &scenario.cluster.name))
                .unwrap_or_default()
        })
        .collect();
    let index: HashMap<&str, usize> = subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let named = |names: &[String]| -> Vec<usize> {
        names
            .iter()
            .filter_map(|n| index.get(n.as_str()).copied())
            .collect()
    };
    let scheme_word = |s: Scheme| {
        if s == Scheme::InternetFacing {
            "public"
        } else {
            "private"
        }
    };
    for svc in services.iter_mut() {
        let Some(spec) = svc.load_balancer.clone() else {
            continue;
        };
        let (scheme, scheme_origin) = spec.scheme();
        let controller = spec.maker();
        if spec.kind == LoadBalancerKind::Clb
            && svc.ports.iter().any(|p| p.protocol == Protocol::UDP)
        {
            // kubernetes/cloud-provider-aws `pkg/providers/v1/aws.go`, `EnsureLoadBalancer`:
            // "Only TCP LoadBalancer is supported for AWS ELB".
            findings.push(Finding::error(
                &svc.id,
                format!(
                    "service {} gets no load balancer: the in-tree cloud provider makes Classic Load Balancers for TCP ports only (\"Only TCP LoadBalancer is supported for AWS ELB\"); use an NLB for UDP",
                    svc.name
                ),
            ));
            continue;
        }
        let choice = lb_subnets(
            controller,
            scheme,
            &named(&spec.subnets),
            subnets,
            &tags,
            pools,
            azs,
        );
        let skipped = skipped_text(&choice, subnets);
        if choice.chosen.is_empty() {
            findings.push(Finding::error(
                &svc.id,
                format!(
                    "service {} gets no load balancer: no {} subnet for a {:?} load balancer{skipped}",
                    svc.name,
                    scheme_word(scheme),
                    scheme
                ),
            ));
            continue;
        }
        if !skipped.is_empty() {
            findings.push(Finding::info(
                &svc.id,
                format!("service {}'s load balancer{skipped}", svc.name),
            ));
        }
        if spec.preserve_client_ip == Some(false)
            && spec.kind != LoadBalancerKind::Clb
            && svc.ports.iter().any(|p| p.protocol == Protocol::UDP)
        {
            // ELB user guide, NLB target group attributes, "Client IP preservation".
            findings.push(Finding::warning(
                &svc.id,
                format!(
                    "service {}: preserveClientIp: false is ignored: client IP preservation cannot be turned off for UDP, so the NLB's UDP target group keeps the client's address",
                    svc.name
                ),
            ));
        }
        if let Some(why) = ipv6
            .then(|| ipv6_refusal(spec.kind.into(), controller, spec.target_type))
            .flatten()
        {
            findings.push(Finding::error(
                &svc.id,
                format!(
                    "service {} cannot be reached through its load balancer: {why}",
                    svc.name
                ),
            ));
        }
        let name = format!("{}/{}", svc.namespace, svc.name);
        svc.load_balancer_index = Some(lbs.len());
        let req = LbRequest {
            name: &name,
            kind: spec.kind.into(),
            controller,
            scheme,
            scheme_origin,
            target_type: spec.target_type,
            cross_zone: spec.cross_zone,
        };
        lbs.push(place_load_balancer(
            req,
            choice,
            subnets,
            pools,
            &mut public,
        ));
    }
    // The first Ingress of each one's group: the group's ALB is made for it.
    let mut firsts: HashMap<&str, usize> = HashMap::new();
    let first_of_group: Vec<usize> = ingresses
        .iter()
        .enumerate()
        .map(|(i, ing)| *firsts.entry(ing.group.as_str()).or_insert(i))
        .collect();
    drop(firsts);
    for i in 0..ingresses.len() {
        let first = first_of_group[i];
        if let Some(existing) = (first < i)
            .then(|| ingresses[first].load_balancer)
            .flatten()
        {
            ingresses[i].load_balancer = Some(existing);
            continue;
        }
        let ing = &ingresses[i];
        let annotated = scenario
            .ingresses
            .iter()
            .find(|d| d.name == ing.name && d.namespace == ing.namespace)
            .map(|d| named(&d.subnets))
            .unwrap_or_default();
        let choice = lb_subnets(
            Controller::AwsLoadBalancerController,
            ing.scheme,
            &annotated,
            subnets,
            &tags,
            pools,
            azs,
        );
        let skipped = skipped_text(&choice, subnets);
        if choice.chosen.len() < 2 {
            findings.push(Finding::error(
                &ing.id,
                format!(
                    "Ingress {} gets no ALB: an ALB needs {} subnets in at least two AZs{skipped}",
                    ing.name,
                    scheme_word(ing.scheme)
                ),
            ));
            continue;
        }
        if let Some(why) = ipv6
            .then(|| {
                ipv6_refusal(
                    LbKind::Alb,
                    Controller::AwsLoadBalancerController,
                    ing.target_type,
                )
            })
            .flatten()
        {
            findings.push(Finding::error(
                &ing.id,
                format!(
                    "Ingress {} cannot be reached through its ALB: {why}",
                    ing.name
                ),
            ));
        }
        if !skipped.is_empty() {
            findings.push(Finding::info(
                &ing.id,
                format!("Ingress {}'s ALB{skipped}", ing.name),
            ));
        }
        let req = LbRequest {
            name: &ing.group,
            kind: LbKind::Alb,
            controller: Controller::AwsLoadBalancerController,
            scheme: ing.scheme,
            scheme_origin: if scenario.ingresses.iter().any(|d| {
                d.name == ing.name && d.namespace == ing.namespace && d.scheme != Scheme::Internal
            }) {
                SchemeOrigin::Given
            } else {
                SchemeOrigin::ControllerDefault
            },
            target_type: ing.target_type,
            cross_zone: true,
        };
        let lb = place_load_balancer(req, choice, subnets, pools, &mut public);
        ingresses[i].load_balancer = Some(lbs.len());
        lbs.push(lb);
    }
    lbs
}

/// `: skipped private-a (only 3 free addresses; …)`, or empty when nothing was passed over.
fn skipped_text(choice: &SubnetChoice, subnets: &[Subnet]) -> String {
    if choice.skipped.is_empty() {
        return String::new();
    }
    let list: Vec<String> = choice
        .skipped
        .iter()
        .map(|(i, why)| format!("{} ({why})", subnets[*i].name))
        .collect();
    format!(
        " skips subnet{} {}",
        if list.len() == 1 { "" } else { "s" },
        list.join(", ")
    )
}
