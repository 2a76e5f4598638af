//! The one entry point: a `Scenario` in, a `Cluster` (or every problem found) out.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use ipnet::Ipv6Net;

use super::aws::api_access::{node_api_path, ApiPath};
use super::aws::capacity::{smallest_prefix_holding, subnet_capacity};
use super::aws::eks_control_plane::{
    check_control_plane, place_cross_account_enis, ControlPlane, CrossAccountEni, EndpointAccess,
    RECOMMENDED_FREE,
};
use super::aws::ipam::{build_node_network, NodeNetwork, NodeNetworkInput};
use super::aws::load_balancer::{lb_subnets, place_load_balancer, LbKind, LbRequest, LoadBalancer};
use super::aws::max_pods::{max_pods, CniVersion, MaxPodsError, MaxPodsInput};
use super::aws::nat_gateway::{place_nat_gateways, NatGateway};
use super::aws::node_group::place_nodes;
use super::aws::node_group::Placement as NodePlacement;
use super::aws::pod_eni::branch_capacity;
use super::aws::public_ip::node_public_ip;
use super::aws::route_table::{default_route, DefaultRoute};
use super::aws::subnet::{AddressPool, Subnet};
use super::aws::vpc::{build_subnets, build_vpc};
use super::aws::vpc_cni::{ipam_mode, prefix_delegation_refusal, IpamMode, WarmPool};
use super::cluster::Cluster;
use super::finding::Finding;
use super::k8s::ingress::{build_ingresses, Ingress};
use super::k8s::pods::{coredns, expand, pod_templates, PodSet, PodTemplate};
use super::k8s::scheduler::{schedule, Placement, SchedNode};
use super::k8s::service_cidr::{nth, service_cidr};
use super::k8s::services::{
    build_services, endpoints, system_services, Endpoint, PodIndex, Service,
};
use super::k8s::NodeAllocatable;
use super::node::{MaxPodsValue, Node};
use super::pod::{Pod, PodStatus, CNI_NO_ADDRESS};
use super::shared_str::SharedStr;
use crate::scenario::{IpFamily, NodeState, Path, Problem, Scenario, Scheme};

/// Builds the cluster a scenario describes. Every problem is collected before giving up, so a
/// user sees them all at once — except a list over its limit (`scenario::limits`), which is
/// refused before any item is looked at.
///
/// Stages, in the order AWS creates things: the VPC and its NAT gateways, the EKS cluster (its
/// cross-account ENIs), the node groups' instances (each takes its primary address), then on
/// every node the VPC CNI's ENIs and addresses.
pub fn build(scenario: &Scenario) -> Result<Cluster, Vec<Problem>> {
    // Every list's length against its limit first: past one, no per-item check runs.
    crate::scenario::limits::check_counts(scenario)?;
    let mut problems = Vec::new();
    let vpc = build_vpc(&scenario.vpc, &mut problems);
    let mut subnets = build_subnets(&scenario.vpc, vpc.as_ref(), &mut problems);
    let mut nat_gateways = place_nat_gateways(scenario.vpc.nat_gateways, &subnets, &mut problems);
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
            v,
            &mut problems,
        )
    });
    let mut services: Vec<Service> = Vec::new();
    if let Some(cidr) = service_cidr {
        services.extend(system_services(cidr));
        services.extend(build_services(&scenario.services, cidr, &mut problems));
    }
    let mut ingresses = build_ingresses(&scenario.ingresses, &services, &mut problems);
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

    let mut pools: Vec<AddressPool> = subnets.iter().map(|s| AddressPool::new(s.cidr)).collect();
    let mut findings = Findings::default();
    // NAT gateways exist before the cluster: they take their subnet's first free address.
    for nat in &mut nat_gateways {
        nat.private_ip = pools[nat.subnet].take();
        if nat.private_ip.is_none() {
            findings.push(Finding::error(
                &nat.id,
                format!(
                    "the NAT gateway could not be created: subnet {} has no free address",
                    subnets[nat.subnet].name
                ),
            ));
        }
    }
    let eks_enis = place_cross_account_enis(&eks_subnets, &subnets, &mut pools, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }

    let cni = &scenario.cluster.vpc_cni;
    let ipv6 = scenario.cluster.ip_family == IpFamily::IPv6;
    let warm = WarmPool::from_settings(cni);
    let custom_networking = !cni.custom_networking.is_empty();
    // Every node takes its primary address first, as an Auto Scaling group launches them.
    let mut launched = Vec::with_capacity(placements.len());
    for placement in placements {
        match pools[placement.subnet].take() {
            Some(ip) => launched.push((placement, ip)),
            None => findings.push(Finding::error(
                format!("node:{}", placement.name),
                format!(
                    "{} could not launch: subnet {} has no free address (InsufficientFreeAddressesInSubnet)",
                    placement.name, subnets[placement.subnet].name
                ),
            )),
        }
    }

    // What each node is, before any pod: its IP mode, max pods, path to the API server.
    let mut drafts = Vec::with_capacity(launched.len());
    let mut per_subnet_nodes = vec![0u32; subnets.len()];
    let mut public_nodes = 0;
    let mut max_pods_by_group: HashMap<String, MaxPodsValue> = HashMap::new();
    let subnet_index: HashMap<&str, usize> = subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    for (placement, primary_ip) in launched {
        let t = &placement.instance_type;
        let subnet = &subnets[placement.subnet];
        let node_id = format!("node:{}", placement.name);
        let mode = ipam_mode(cni, ipv6, t, cni_version.supports_prefix_delegation());
        if cni.prefix_delegation && !ipv6 {
            if let Some(why) =
                prefix_delegation_refusal(t, cni_version.supports_prefix_delegation())
            {
                findings.once(
                    &placement.group,
                    Finding::warning(
                        &node_id,
                        format!(
                            "node group {}: {why}; its nodes use secondary IPs",
                            placement.group
                        ),
                    ),
                );
            }
        }
        // The same for every node of a group (its type and maxPodsPerNode): computed once.
        let max_pods = match max_pods_by_group.get(placement.group.as_str()) {
            Some(value) => MaxPodsValue::clone(value),
            None => {
                let value = kubelet_max_pods(t, &placement, cni, &cni_version, &mut findings);
                max_pods_by_group.insert(placement.group.clone(), value.clone());
                value
            }
        };
        let pod_subnet = if custom_networking {
            let s = cni
                .custom_networking
                .get(&subnet.az)
                .and_then(|name| subnet_index.get(name.as_str()).copied());
            if s.is_none() {
                findings.once(
                    &format!("eniconfig:{}", subnet.az),
                    Finding::error(&node_id, format!("custom networking is on but no ENIConfig names a subnet for {}: pods on nodes there get no address", subnet.az)),
                );
            }
            s
        } else {
            Some(placement.subnet)
        };
        let trunk_branches = if cni.pod_eni {
            match branch_capacity(t) {
                Ok(n) => Some(n),
                Err(why) => {
                    findings.once(
                        &format!("podeni:{}", placement.group),
                        Finding::warning(
                            &node_id,
                            format!(
                                "node group {}: no security groups for pods: {why}",
                                placement.group
                            ),
                        ),
                    );
                    None
                }
            }
        } else {
            None
        };
        per_subnet_nodes[placement.subnet] += 1;
        let ipv6_prefix =
            ipv6.then(|| node_ipv6_prefix(placement.subnet, per_subnet_nodes[placement.subnet]));
        let public_ip = subnet.public.then(|| {
            public_nodes += 1;
            node_public_ip(public_nodes - 1)
        });
        let api_path = node_api_path(&endpoint, subnet, public_ip, &nat_gateways, &eks_enis);
        if let ApiPath::Blocked(why) = &api_path {
            findings.once(
                &format!("api:{}", subnet.name),
                Finding::error(&node_id, format!("nodes in {} cannot reach the API server and will not join the cluster: {why}", subnet.name)),
            );
        }
        let state = scenario.node_states.get(&placement.name).copied();
        drafts.push(NodeDraft {
            placement,
            primary_ip,
            node_id,
            mode,
            max_pods,
            pod_subnet,
            trunk_branches,
            ipv6_prefix,
            public_ip,
            api_path,
            state,
        });
    }

    // A failed node's instance is terminated: its address goes back to the subnet, and it runs
    // nothing. The scheduler sees the nodes that joined the cluster and still answer.
    for d in drafts.iter().filter(|d| d.state == Some(NodeState::Failed)) {
        pools[d.placement.subnet].release(d.primary_ip);
        findings.push(Finding::warning(
            &d.node_id,
            format!(
                "{} failed: NotReady, then its pods were evicted and the ReplicaSet controller recreated them on other nodes; the instance was terminated and its addresses returned to {}",
                d.placement.name, subnets[d.placement.subnet].name
            ),
        ));
    }
    let joined: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].api_path.reaches() && drafts[i].state != Some(NodeState::Failed))
        .collect();
    let sched_nodes: Vec<SchedNode> = joined
        .iter()
        .map(|&i| sched_node(&drafts[i], &subnets, scenario, true))
        .collect();
    let mut templates = templates;
    templates.push(coredns());
    let mut pod_set = expand(templates.clone(), &sched_nodes)?;
    keep_undisturbed_pods(
        &mut pod_set,
        templates,
        &drafts,
        &joined,
        &subnets,
        scenario,
    )?;
    let schedule = schedule(&sched_nodes, &pod_set);
    // Pods bound to each node, in binding order (the pod order): node `n`'s are
    // `bound_pods[bound_at[n]..bound_at[n + 1]]`.
    let mut bound_at = vec![0usize; drafts.len() + 1];
    for placement in &schedule.placements {
        if let Some(k) = placement.node() {
            bound_at[joined[k] + 1] += 1;
        }
    }
    for n in 0..drafts.len() {
        bound_at[n + 1] += bound_at[n];
    }
    let mut bound_pods = vec![0usize; bound_at[drafts.len()]];
    let mut next = bound_at.clone();
    for (p, placement) in schedule.placements.iter().enumerate() {
        if let Some(k) = placement.node() {
            bound_pods[next[joined[k]]] = p;
            next[joined[k]] += 1;
        }
    }
    drop(next);

    // On every node, the CNI gives its pods addresses. Answers go to a compact per-pod list
    // (the nodes' pods are scattered over the pod order); the pod records are made after, in
    // order.
    let set_pods = std::mem::take(&mut pod_set.pods);
    let mut pod_ip: Vec<Option<IpAddr>> = vec![None; set_pods.len()];
    let mut nodes = Vec::with_capacity(drafts.len());
    // Per-node lists, reused from node to node.
    let mut ip_pod_index = Vec::new();
    let (mut branch_pods, mut branch_pod_index) = (Vec::new(), Vec::new());
    for (n, draft) in drafts.into_iter().enumerate() {
        ip_pod_index.clear();
        branch_pods.clear();
        branch_pod_index.clear();
        let mut host_network_pods = 0;
        for &p in &bound_pods[bound_at[n]..bound_at[n + 1]] {
            let t = &pod_set.templates[set_pods[p].template];
            if t.host_network {
                pod_ip[p] = Some(IpAddr::V4(draft.primary_ip));
                host_network_pods += 1;
            } else if t.needs_branch_eni() {
                branch_pods.push((set_pods[p].name.clone(), t.security_groups.clone()));
                branch_pod_index.push(p);
            } else {
                ip_pod_index.push(p);
            }
        }
        let ip_pods: Vec<&SharedStr> = ip_pod_index.iter().map(|&p| &set_pods[p].name).collect();
        let input = NodeNetworkInput {
            node: &draft.placement.name,
            instance_type: &draft.placement.instance_type,
            mode: draft.mode,
            warm,
            node_subnet: draft.placement.subnet,
            pod_subnet: draft.pod_subnet,
            custom_networking,
            trunk_branches: draft.trunk_branches,
            ipv6_prefix: draft.ipv6_prefix,
            ip_pods: &ip_pods,
            branch_pods: &branch_pods,
        };
        let net = if draft.state == Some(NodeState::Failed) {
            NodeNetwork {
                enis: Vec::new(),
                branches: Vec::new(),
                pod_ips: Vec::new(),
                pod_enis: 0,
            }
        } else {
            build_node_network(&input, draft.primary_ip, &mut pools)
        };
        // The CNI answers in the order it was asked: pod_ips follows ip_pods, and branch ENIs
        // go to the first branch pods until none is left.
        let answers = ip_pod_index.iter().zip(net.pod_ips.iter().copied());
        let branches = branch_pod_index
            .iter()
            .enumerate()
            .map(|(k, p)| (p, net.branches.get(k).map(|b| IpAddr::V4(b.ip))));
        for (&p, ip) in answers.chain(branches) {
            pod_ip[p] = ip;
        }
        let placement = draft.placement;
        nodes.push(Node {
            id: draft.node_id,
            name: placement.name,
            group: placement.group,
            az: subnets[placement.subnet].az.clone(),
            subnet: placement.subnet,
            instance_type: placement.instance_type,
            primary_ip: draft.primary_ip,
            public_ip: draft.public_ip,
            ipam_mode: draft.mode,
            enis: net.enis,
            branches: net.branches,
            pod_enis: net.pod_enis,
            pod_subnet: draft.pod_subnet,
            host_network_pods,
            ipv6_prefix: draft.ipv6_prefix,
            max_pods: draft.max_pods,
            api_path: draft.api_path,
            state: draft.state,
        });
    }

    // The pod records, in pod order. A bound pod runs once it has an address (hostNetwork
    // pods have the node's); without one it stays ContainerCreating.
    // What the pods of one template share is made once: namespace, workload name, labels.
    let shared: Vec<_> = pod_set
        .templates
        .iter()
        .map(|t| {
            (
                SharedStr::from(&t.namespace),
                SharedStr::from(&t.name),
                Arc::new(t.labels.clone()),
            )
        })
        .collect();
    let cni_no_address = SharedStr::from(CNI_NO_ADDRESS);
    let mut template_of: Vec<usize> = Vec::with_capacity(set_pods.len());
    let mut pods: Vec<Pod> = Vec::with_capacity(set_pods.len());
    for ((draft, ip), placement) in set_pods.into_iter().zip(pod_ip).zip(&schedule.placements) {
        let t = &pod_set.templates[draft.template];
        let (namespace, workload, labels) = &shared[draft.template];
        let (status, reason) = match placement {
            Placement::Pending(why) => (PodStatus::Pending, Some(SharedStr::from(why.clone()))),
            Placement::Node(_) if ip.is_some() => (PodStatus::Running, None),
            Placement::Node(_) => (PodStatus::ContainerCreating, Some(cni_no_address.clone())),
        };
        template_of.push(draft.template);
        pods.push(Pod {
            id: draft.id,
            name: draft.name,
            namespace: namespace.clone(),
            workload: workload.clone(),
            node: placement.node().map(|k| joined[k]),
            ip,
            host_network: t.host_network,
            security_groups: t.security_groups.clone(),
            labels: labels.clone(),
            container_port: t.container_port,
            status,
            reason,
        });
    }
    pod_findings(&pods, &nodes, &mut findings);

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
    let api_server_enis: Vec<Endpoint> = eks_enis
        .iter()
        .map(|e| Endpoint {
            pod: api_server.clone(),
            ip: IpAddr::V4(e.ip),
            node: None,
            az: intern_az(&e.az),
        })
        .collect();
    let index = PodIndex::new(&pods, &template_of, pod_set.templates.len());
    for svc in services.iter_mut() {
        svc.endpoints = if svc.system && svc.name == "kubernetes" {
            api_server_enis.clone()
        } else {
            endpoints(svc, &pods, &index, &node_az)
        };
    }
    drop(index);

    let mut azs: Vec<String> = Vec::new();
    for s in &subnets {
        if !azs.contains(&s.az) {
            azs.push(s.az.clone());
        }
    }
    let load_balancers = place_load_balancers(
        &mut services,
        &mut ingresses,
        &subnets,
        &azs,
        &mut pools,
        &mut findings,
    );

    account_usage(&mut subnets, &nat_gateways, &eks_enis, &nodes);
    for lb in &load_balancers {
        for n in &lb.nodes {
            subnets[n.subnet].usage.load_balancers += 1;
        }
    }
    let capacities: Vec<_> = subnets
        .iter()
        .enumerate()
        .map(|(i, s)| subnet_capacity(i, s, &nodes, warm))
        .collect();
    for (subnet, capacity) in subnets.iter_mut().zip(capacities) {
        subnet.capacity = capacity;
        if let Some(f) = exhaustion_finding(subnet, custom_networking) {
            findings.push(f);
        }
    }
    let mut findings = findings.into_vec();
    findings.extend(endpoint_findings(
        &endpoint,
        &subnets,
        &nat_gateways,
        &nodes,
    ));
    findings.extend(control_plane_subnet_findings(&eks_enis, &subnets, &pools));
    for (i, subnet) in subnets.iter().enumerate() {
        if pools[i].remaining() == 0 {
            findings.push(Finding::warning(
                &subnet.id,
                format!(
                    "subnet {} ({}) has no free address left",
                    subnet.name, subnet.cidr
                ),
            ));
        }
    }

    let cluster = Cluster {
        name: scenario.cluster.name.clone(),
        vpc,
        azs,
        internet_gateway: subnets.iter().any(|s| s.public),
        subnets,
        nat_gateways,
        control_plane: ControlPlane {
            enis: eks_enis,
            endpoint,
            cluster_security_group: format!("eks-cluster-sg-{}", scenario.cluster.name),
        },
        nodes,
        pods,
        service_cidr,
        cluster_dns: nth(service_cidr, 10),
        services,
        ingresses,
        load_balancers,
        cni: scenario.cluster.vpc_cni.clone(),
        findings,
    };
    // Flows and security group rules name things that exist only now.
    let problems = super::traffic::check(&cluster, scenario);
    if problems.is_empty() {
        Ok(cluster)
    } else {
        Err(problems)
    }
}

/// Load balancers: an NLB (AWS Load Balancer Controller) or CLB (in-tree) per LoadBalancer
/// service, an ALB per IngressGroup; each takes an address in one subnet per AZ.
fn place_load_balancers(
    services: &mut [Service],
    ingresses: &mut [Ingress],
    subnets: &[Subnet],
    azs: &[String],
    pools: &mut [AddressPool],
    findings: &mut Findings,
) -> Vec<LoadBalancer> {
    let mut lbs: Vec<LoadBalancer> = Vec::new();
    let mut public = 0;
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
        let chosen = lb_subnets(spec.scheme, subnets, azs);
        if chosen.is_empty() {
            findings.push(Finding::error(
                &svc.id,
                format!(
                    "service {} gets no load balancer: no {} subnet for a {:?} load balancer",
                    svc.name,
                    scheme_word(spec.scheme),
                    spec.scheme
                ),
            ));
            continue;
        }
        let name = format!("{}/{}", svc.namespace, svc.name);
        svc.load_balancer_index = Some(lbs.len());
        let req = LbRequest {
            name: &name,
            kind: spec.kind.into(),
            scheme: spec.scheme,
            target_type: spec.target_type,
            cross_zone: spec.cross_zone,
        };
        lbs.push(place_load_balancer(
            req,
            &chosen,
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
        let chosen = lb_subnets(ing.scheme, subnets, azs);
        if chosen.len() < 2 {
            findings.push(Finding::error(
                &ing.id,
                format!(
                    "Ingress {} gets no ALB: an ALB needs {} subnets in at least two AZs",
                    ing.name,
                    scheme_word(ing.scheme)
                ),
            ));
            continue;
        }
        let req = LbRequest {
            name: &ing.group,
            kind: LbKind::Alb,
            scheme: ing.scheme,
            target_type: ing.target_type,
            cross_zone: true,
        };
        let lb = place_load_balancer(req, &chosen, subnets, pools, &mut public);
        ingresses[i].load_balancer = Some(lbs.len());
        lbs.push(lb);
    }
    lbs
}

/// A node between launch and network: what is decided before its pods are known.
struct NodeDraft {
    placement: NodePlacement,
    primary_ip: Ipv4Addr,
    node_id: String,
    mode: IpamMode,
    max_pods: MaxPodsValue,
    pod_subnet: Option<usize>,
    trunk_branches: Option<u32>,
    ipv6_prefix: Option<Ipv6Net>,
    public_ip: Option<Ipv4Addr>,
    api_path: ApiPath,
    state: Option<NodeState>,
}

/// The node as the scheduler sees it: allocatable from the EKS AMI's reservation (computed for
/// the AMI's default max pods, as bootstrap does), the kubelet's max pods, the group's labels
/// and taints, and the pod-eni extended resource when security groups for pods are on.
fn sched_node(
    draft: &NodeDraft,
    subnets: &[Subnet],
    scenario: &Scenario,
    with_state: bool,
) -> SchedNode {
    let t = &draft.placement.instance_type;
    let ami_default = t.max_enis * t.ipv4_per_eni.saturating_sub(1) + 2;
    let allocatable = NodeAllocatable::for_instance(t, ami_default);
    let group = scenario
        .managed_node_groups
        .iter()
        .find(|g| g.name == draft.placement.group);
    let labels = group.map(|g| g.labels.clone()).unwrap_or_default();
    let mut node = SchedNode::new(
        &draft.placement.name,
        &subnets[draft.placement.subnet].az,
        &t.name,
        &draft.placement.group,
        &labels,
        &allocatable,
        draft.max_pods.value,
    );
    node.taints = group.map(|g| g.taints.clone()).unwrap_or_default();
    node.pod_eni_capacity = draft.trunk_branches.unwrap_or(0);
    // Drained: cordoned and emptied, so its pods land elsewhere (DaemonSet pods stay). A cordon
    // alone leaves running pods where they are, so the model schedules as before it.
    node.unschedulable = with_state && draft.state == Some(NodeState::Drained);
    node
}

/// A failure or a drain evicts only the pods of the nodes it hits: every other pod stays
/// bound where it ran before, as on a real cluster. The model finds "before" by scheduling the
/// same pods on the same nodes with every node Ready, pins the undisturbed pods to their
/// nodes, and lets the scheduler place only the evicted ones (after the pinned, so an evicted
/// pod never takes a place a running pod holds).
fn keep_undisturbed_pods(
    pod_set: &mut PodSet,
    templates: Vec<PodTemplate>,
    drafts: &[NodeDraft],
    joined: &[usize],
    subnets: &[Subnet],
    scenario: &Scenario,
) -> Result<(), Vec<Problem>> {
    let disrupted = |d: usize| {
        matches!(
            drafts[d].state,
            Some(NodeState::Failed | NodeState::Drained)
        )
    };
    if !(0..drafts.len()).any(disrupted) {
        return Ok(());
    }
    let before_joined: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].api_path.reaches())
        .collect();
    let before_nodes: Vec<SchedNode> = before_joined
        .iter()
        .map(|&i| sched_node(&drafts[i], subnets, scenario, false))
        .collect();
    let before_set = expand(templates, &before_nodes)?;
    let before = schedule(&before_nodes, &before_set);
    let was: HashMap<&str, usize> = before
        .placements
        .iter()
        .enumerate()
        .filter_map(|(p, placement)| {
            Some((
                before_set.pods[p].name.as_str(),
                before_joined[placement.node()?],
            ))
        })
        .collect();
    let now_index: HashMap<usize, usize> =
        joined.iter().enumerate().map(|(k, &d)| (d, k)).collect();
    for pod in pod_set.pods.iter_mut().filter(|p| p.node.is_none()) {
        if let Some(&d) = was.get(pod.name.as_str()) {
            if !disrupted(d) {
                pod.node = now_index.get(&d).copied();
            }
        }
    }
    // Pinned pods first (DaemonSet pods already are), then the evicted ones; stable, so each
    // template's unpinned pods stay together in their order.
    pod_set.pods.sort_by_key(|p| p.node.is_none());
    Ok(())
}

/// Pending and ContainerCreating pods, summarised once per workload.
fn pod_findings(pods: &[Pod], nodes: &[Node], findings: &mut Findings) {
    // In order of first appearance; found by key, not by a scan: a cluster can have
    // thousands of workloads with pods waiting.
    let mut counts: Vec<(&str, &str, PodStatus, &str, u32)> = Vec::new();
    let mut at: std::collections::HashMap<(&str, &str, PodStatus, &str), usize> =
        std::collections::HashMap::new();
    for pod in pods.iter().filter(|p| p.status != PodStatus::Running) {
        let reason = pod.reason.as_deref().unwrap_or("");
        let key = (
            pod.workload.as_str(),
            pod.namespace.as_str(),
            pod.status,
            reason,
        );
        match at.get(&key) {
            Some(&i) => counts[i].4 += 1,
            None => {
                at.insert(key, counts.len());
                counts.push((key.0, key.1, key.2, key.3, 1));
            }
        }
    }
    for (workload, namespace, status, reason, n) in counts {
        let subject = format!("workload:{namespace}/{workload}");
        let message = match status {
            PodStatus::Pending => format!(
                "{n} {workload} pod{} Pending: {reason}",
                if n == 1 { " is" } else { "s are" }
            ),
            _ => {
                let pd = nodes.iter().any(|n| n.ipam_mode == IpamMode::SecondaryIp);
                format!(
                    "{n} {workload} pod{} stuck in ContainerCreating: the scheduler placed {} but the VPC CNI has no address to give ({reason}). The scheduler does not count addresses: free up the subnet or the node's ENIs{}",
                    if n == 1 { " is" } else { "s are" },
                    if n == 1 { "it" } else { "them" },
                    if pd { ", turn on prefix delegation, or use a larger subnet" } else { ", or use a larger subnet" }
                )
            }
        };
        findings.push(Finding::error(subject, message));
    }
}

/// Findings, with a way to say something once per key (per node group, per AZ) rather than
/// once per node.
#[derive(Default)]
struct Findings {
    list: Vec<Finding>,
    said: std::collections::HashSet<String>,
}

impl Findings {
    fn push(&mut self, f: Finding) {
        self.list.push(f);
    }

    fn once(&mut self, key: &str, f: Finding) {
        if self.said.insert(key.to_string()) {
            self.list.push(f);
        }
    }

    fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}

/// Counts what takes each subnet's addresses.
fn account_usage(
    subnets: &mut [Subnet],
    nat_gateways: &[NatGateway],
    eks_enis: &[CrossAccountEni],
    nodes: &[Node],
) {
    for nat in nat_gateways.iter().filter(|n| n.private_ip.is_some()) {
        subnets[nat.subnet].usage.nat_gateways += 1;
    }
    for e in eks_enis {
        subnets[e.subnet].usage.eks_enis += 1;
    }
    for node in nodes {
        for eni in &node.enis {
            let usage = &mut subnets[eni.subnet].usage;
            usage.eni_primaries += 1;
            usage.pods += eni.used();
            usage.warm += eni.warm();
        }
        for branch in &node.branches {
            subnets[branch.subnet].usage.branch_enis += 1;
        }
    }
}

/// What the endpoint setting means for nodes, kubectl and image pulls.
fn endpoint_findings(
    endpoint: &EndpointAccess,
    subnets: &[Subnet],
    nat_gateways: &[NatGateway],
    nodes: &[Node],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let subject = "control-plane";
    match (endpoint.public, endpoint.private) {
        (true, false) => out.push(Finding::info(
            subject,
            format!("public endpoint only: nodes and kubectl reach the API over the internet, from addresses in publicAccessCIDRs ({})", endpoint.cidr_list()),
        )),
        (true, true) => out.push(Finding::info(
            subject,
            format!("public and private endpoint: inside the VPC the API name resolves to the cross-account ENIs, so node traffic stays in the VPC; kubectl from outside uses the public endpoint ({})", endpoint.cidr_list()),
        )),
        (false, true) => {
            out.push(Finding::info(
                subject,
                "private endpoint only: the API is reachable only from the VPC or connected networks (VPN, Direct Connect, peering); the VPC needs DNS support and DNS hostnames",
            ));
        }
        (false, false) => {}
    }
    // Nodes without a route to the internet cannot pull images from ECR without VPC endpoints.
    let mut without_route: Vec<&str> = Vec::new();
    let mut listed = vec![false; subnets.len()];
    for node in nodes {
        let s = &subnets[node.subnet];
        if !listed[node.subnet] && default_route(s, nat_gateways) == DefaultRoute::None {
            listed[node.subnet] = true;
            without_route.push(&s.name);
        }
    }
    if !without_route.is_empty() {
        out.push(Finding::warning(
            subject,
            format!(
                "nodes in {} have no route to the internet: pulling images needs VPC endpoints for ECR (api and dkr), S3 (gateway), EC2 and STS, or a NAT gateway",
                without_route.join(", ")
            ),
        ));
    }
    out
}

/// A subnet that cannot give every node it serves its max pods, with the numbers and the
/// changes that would fix it.
fn exhaustion_finding(subnet: &Subnet, custom_networking: bool) -> Option<Finding> {
    let cap = &subnet.capacity;
    let free = subnet.free();
    if cap.pod_nodes == 0 || cap.fits_max_pods(free) {
        return None;
    }
    let needed = subnet.used() + cap.addresses_to_max;
    let mut fixes = Vec::new();
    if let Some(p) = smallest_prefix_holding(needed) {
        fixes.push(format!(
            "a /{p} subnet or larger ({} usable addresses)",
            (1u32 << (32 - p)) - 5
        ));
    }
    if !custom_networking {
        fixes.push("custom networking: add 100.64.0.0/16 as a secondary VPC CIDR and give each AZ an ENIConfig subnet there, so pod addresses leave this subnet".to_string());
    }
    if subnet.usage.warm * 3 > subnet.used() {
        fixes.push(format!(
            "a smaller warm pool (WARM_IP_TARGET / MINIMUM_IP_TARGET): {} of its {} used addresses are warm",
            subnet.usage.warm,
            subnet.used()
        ));
    }
    Some(Finding::warning(
        &subnet.id,
        format!(
            "subnet {} ({}) cannot hold max pods on its {} node{}: that needs {} more addresses and {} are free, so only {} more pods fit (of {}). Fix: {}.",
            subnet.name,
            subnet.cidr,
            cap.pod_nodes,
            if cap.pod_nodes == 1 { "" } else { "s" },
            cap.addresses_to_max,
            free,
            cap.more_pods,
            cap.pods_at_max - cap.pods_now,
            fixes.join("; or ")
        ),
    ))
}

/// EKS needs room in its subnets: at least 6 free addresses, 16 recommended (upgrades take up to
/// 5 more for a while).
fn control_plane_subnet_findings(
    eks_enis: &[CrossAccountEni],
    subnets: &[Subnet],
    pools: &[AddressPool],
) -> Vec<Finding> {
    eks_enis
        .iter()
        .filter(|e| pools[e.subnet].remaining() < RECOMMENDED_FREE)
        .map(|e| {
            let s = &subnets[e.subnet];
            Finding::warning(
                &s.id,
                format!(
                    "control plane subnet {} has {} free addresses left; EKS recommends at least {RECOMMENDED_FREE} (an upgrade needs up to 5 more for a while)",
                    s.name,
                    pools[e.subnet].remaining()
                ),
            )
        })
        .collect()
}

/// `nodeStates` must name nodes the node groups create.
fn check_node_states(
    scenario: &Scenario,
    placements: &[NodePlacement],
    problems: &mut Vec<Problem>,
) {
    let nodes: std::collections::HashSet<&str> =
        placements.iter().map(|p| p.name.as_str()).collect();
    for name in scenario.node_states.keys() {
        super::work::tick();
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
        super::work::tick();
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

/// The VPC's Amazon-provided IPv6 block is modelled as 2001:db8::/56 (the documentation
/// range): subnet `i` gets 2001:db8:0:i::/64 and its `n`-th node the /80 2001:db8:0:i:n::/80.
fn node_ipv6_prefix(subnet: usize, n: u32) -> Ipv6Net {
    let base: u128 = 0x2001_0db8_0000_0000u128 << 64;
    let addr = base | ((subnet as u128 & 0xff) << 64) | ((u128::from(n) & 0xffff) << 48);
    Ipv6Net::new(std::net::Ipv6Addr::from(addr), 80).expect("80 is a valid prefix length")
}

/// The kubelet's max pods: the node group's `maxPodsPerNode`, else the EKS calculator's answer
/// for the CNI settings (uncapped, with a finding, when the type's vCPUs are unknown).
fn kubelet_max_pods(
    t: &super::aws::instance_types::InstanceType,
    placement: &super::aws::node_group::Placement,
    cni: &crate::scenario::VpcCni,
    version: &CniVersion,
    findings: &mut Findings,
) -> MaxPodsValue {
    let mut input = MaxPodsInput::new(version.clone());
    input.custom_networking = !cni.custom_networking.is_empty();
    input.prefix_delegation = cni.prefix_delegation;
    let computed = match max_pods(t, &input) {
        Ok(m) => m,
        Err(MaxPodsError::UnknownVcpus { .. }) => {
            input.show_max_allowed = true;
            let m = max_pods(t, &input).expect("the uncapped value needs no vCPU count");
            findings.once(
                &format!("vcpus:{}", placement.group),
                Finding::warning(
                    format!("node:{}", placement.name),
                    format!(
                        "{}'s vCPU count is unknown, so max pods is the uncapped {} rather than 110 or 250",
                        t.name, m.value
                    ),
                ),
            );
            m
        }
        // Custom networking on a one-ENI type: no ENI for pods.
        Err(_) => {
            return MaxPodsValue {
                value: 0,
                formula: format!("{}: custom networking leaves no ENI for pods", t.name),
            }
        }
    };
    match placement.max_pods_override {
        Some(v) => MaxPodsValue {
            value: v,
            formula: format!(
                "maxPodsPerNode = {v} (the calculator would give {})",
                computed.value
            ),
        },
        None => MaxPodsValue {
            value: computed.value,
            formula: computed.formula,
        },
    }
}

/// Checks the VPC CNI settings; returns the parsed version when it is valid.
fn check_cni(
    scenario: &Scenario,
    subnets: &[super::aws::subnet::Subnet],
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
    let by_name: HashMap<&str, &Subnet> = subnets.iter().map(|s| (s.name.as_str(), s)).collect();
    for (az, name) in &cni.custom_networking {
        super::work::tick();
        if let Some(s) = by_name.get(name.as_str()) {
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
