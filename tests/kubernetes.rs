//! Kubernetes on the network: pods and their addresses, services, load balancers, ingress.
#![cfg(not(target_arch = "wasm32"))]

use eksplain::model::{self, Cluster, PodStatus, CNI_NO_ADDRESS};
use eksplain::scenario::{
    default_scenario, Ingress, IngressRule, LoadBalancerSpec, Requests, Scenario, Scheme, Service,
    ServicePort, ServiceType, TargetType, TrafficPolicy, Workload,
};

fn build(s: &Scenario) -> Cluster {
    model::build(s).unwrap_or_else(|p| panic!("{p:?}"))
}

fn web(replicas: u32) -> Workload {
    serde_json::from_value(serde_json::json!({"name": "web", "replicas": replicas})).unwrap()
}

fn service(name: &str, t: ServiceType) -> Service {
    Service {
        name: name.into(),
        namespace: "default".into(),
        selector: [("app".to_string(), "web".to_string())].into(),
        service_type: t,
        ports: vec![ServicePort {
            name: None,
            port: 80,
            target_port: Some(8080),
            protocol: Default::default(),
            node_port: None,
        }],
        external_traffic_policy: TrafficPolicy::Cluster,
        internal_traffic_policy: TrafficPolicy::Cluster,
        load_balancer: None,
    }
}

#[test]
fn system_pods_run_on_every_node_and_host_network_pods_take_the_node_address() {
    let c = build(&default_scenario());
    for (n, node) in c.nodes.iter().enumerate() {
        let on: Vec<_> = c.pods.iter().filter(|p| p.node == Some(n)).collect();
        for ds in ["aws-node", "kube-proxy"] {
            let pod = on
                .iter()
                .find(|p| p.workload == ds)
                .unwrap_or_else(|| panic!("{ds} on {}", node.name));
            assert!(pod.host_network);
            assert_eq!(pod.ip, Some(node.primary_ip.into()));
        }
        assert_eq!(node.host_network_pods, 2);
    }
    let coredns: Vec<_> = c.pods.iter().filter(|p| p.workload == "coredns").collect();
    assert_eq!(coredns.len(), 2);
    assert!(coredns
        .iter()
        .all(|p| p.status == PodStatus::Running && !p.host_network));
    // Each CoreDNS pod holds a secondary address of its node's eth0.
    let first = &c.nodes[coredns[0].node.unwrap()];
    assert!(first.enis[0]
        .slots
        .iter()
        .any(|s| s.pod.as_deref() == Some(coredns[0].name.as_str())));
}

#[test]
fn more_replicas_than_max_pods_stay_pending_with_the_schedulers_words() {
    let mut s = default_scenario();
    s.workloads.push(web(100));
    let c = build(&s);
    let pending: Vec<_> = c
        .pods
        .iter()
        .filter(|p| p.status == PodStatus::Pending)
        .collect();
    // 3 nodes × 29 max pods − 6 system DaemonSet pods − 2 CoreDNS = 79 web pods fit.
    assert_eq!(pending.len(), 100 - 79);
    let reason = pending[0].reason.as_deref().unwrap();
    assert!(
        reason.starts_with("0/3 nodes are available: 3 Too many pods."),
        "{reason}"
    );
    assert!(c
        .findings
        .iter()
        .any(|f| f.subject == "workload:default/web"
            && f.message.starts_with("21 web pods are Pending")));
}

#[test]
fn a_pod_on_a_node_without_addresses_is_stuck_in_container_creating() {
    let mut s = default_scenario();
    for sub in s.vpc.subnets.iter_mut().skip(3) {
        let base = sub.cidr.split('/').next().unwrap().to_string();
        sub.cidr = format!("{base}/27"); // 27 usable
    }
    // 77 web pods + 2 CoreDNS: 27 per node fit max pods, but a /27 gives a node at most 23.
    s.workloads.push(web(77));
    let c = build(&s);
    let stuck: Vec<_> = c
        .pods
        .iter()
        .filter(|p| p.status == PodStatus::ContainerCreating)
        .collect();
    assert!(!stuck.is_empty());
    assert!(stuck.iter().all(|p| p.node.is_some()
        && p.ip.is_none()
        && p.reason.as_deref() == Some(CNI_NO_ADDRESS)));
    assert!(c
        .findings
        .iter()
        .any(|f| f.message.contains("stuck in ContainerCreating")
            && f.message.contains("does not count addresses")));
    // Every subnet that ran out is full, not over-full.
    assert!(c.subnets.iter().all(|s| s.used() <= s.usable()));
}

#[test]
fn cluster_ips_follow_the_eks_default_rule() {
    let c = build(&default_scenario());
    assert_eq!(c.service_cidr.to_string(), "172.20.0.0/16");
    assert_eq!(c.cluster_dns.to_string(), "172.20.0.10");
    let dns = c.services.iter().find(|s| s.name == "kube-dns").unwrap();
    assert_eq!(dns.cluster_ip.to_string(), "172.20.0.10");
    assert_eq!(dns.endpoints.len(), 2, "CoreDNS pods are its endpoints");
    let api = c.services.iter().find(|s| s.name == "kubernetes").unwrap();
    assert_eq!(api.cluster_ip.to_string(), "172.20.0.1");
    assert_eq!(api.endpoints.len(), 3, "one per cross-account ENI");

    let mut s = default_scenario();
    s.vpc.cidr = "192.168.0.0/16".into();
    for (i, sub) in s.vpc.subnets.iter_mut().enumerate() {
        sub.cidr = format!("192.168.{}.0/24", i * 16);
    }
    assert_eq!(build(&s).service_cidr.to_string(), "10.100.0.0/16");
}

#[test]
fn a_load_balancer_service_gets_an_nlb_in_the_public_subnets() {
    let mut s = default_scenario();
    s.workloads.push(web(3));
    let mut svc = service("web", ServiceType::LoadBalancer);
    svc.load_balancer = Some(LoadBalancerSpec {
        scheme: Some(Scheme::InternetFacing),
        ..Default::default()
    });
    s.services.push(svc);
    let c = build(&s);
    let web = c.services.iter().find(|s| s.name == "web").unwrap();
    assert_eq!(web.endpoints.len(), 3);
    let node_port = web.ports[0].node_port.unwrap();
    assert!((30000..=32767).contains(&node_port));
    let lb = &c.load_balancers[web.load_balancer_index.unwrap()];
    assert_eq!(lb.nodes.len(), 3);
    assert!(lb
        .nodes
        .iter()
        .all(|n| c.subnets[n.subnet].public && n.public_ip.is_some()));
    assert!(!lb.cross_zone, "NLB cross-zone is off by default");
    assert_eq!(c.subnets[0].usage.load_balancers, 1);
    // Internal (the controller's default): private subnets, no public address.
    s.services[0].load_balancer = None;
    let c = build(&s);
    let lb = &c.load_balancers[0];
    assert!(lb
        .nodes
        .iter()
        .all(|n| !c.subnets[n.subnet].public && n.public_ip.is_none()));
}

#[test]
fn ingresses_of_one_group_share_one_alb() {
    let mut s = default_scenario();
    s.workloads.push(web(2));
    s.services.push(service("web", ServiceType::NodePort));
    let ingress = |name: &str| Ingress {
        subnets: Vec::new(),
        name: name.into(),
        namespace: "default".into(),
        group_name: Some("shared".into()),
        scheme: Scheme::InternetFacing,
        target_type: TargetType::Instance,
        rules: vec![IngressRule {
            host: None,
            path: format!("/{name}"),
            service: "web".into(),
            port: 80,
        }],
    };
    s.ingresses = vec![ingress("shop"), ingress("blog")];
    let c = build(&s);
    assert_eq!(c.load_balancers.len(), 1);
    assert_eq!(c.ingresses[0].load_balancer, c.ingresses[1].load_balancer);
    assert!(
        c.load_balancers[0].cross_zone,
        "ALBs always balance across zones"
    );
    // Instance targets need a NodePort.
    s.services[0].service_type = ServiceType::ClusterIP;
    let problems = model::build(&s).unwrap_err();
    assert_eq!(problems[0].path.as_str(), "ingresses[0].rules[0].service");
}

#[test]
fn describe_lists_pods_pending_services_and_load_balancers() {
    let mut s = default_scenario();
    s.workloads.push(Workload {
        requests: Requests {
            cpu: Some("2".into()),
            memory: None,
        },
        ..web(2)
    });
    let mut svc = service("web", ServiceType::LoadBalancer);
    svc.external_traffic_policy = TrafficPolicy::Local;
    s.services.push(svc);
    let d = serde_json::to_value(model::describe::describe(&build(&s))).unwrap();
    assert_eq!(d["serviceCidr"], "172.20.0.0/16");
    assert_eq!(d["clusterDns"], "172.20.0.10");
    let pods = d["pods"].as_array().unwrap();
    assert!(pods
        .iter()
        .all(|p| p["status"] == "Running" || p["status"] == "ContainerCreating"));
    assert!(pods
        .iter()
        .any(|p| p["workload"] == "kube-proxy" && p["hostNetwork"] == true));
    let pending = d["pending"].as_array().unwrap();
    assert_eq!(
        pending.len(),
        2,
        "2 vCPU pods do not fit an m5.large's 1930m allocatable"
    );
    assert!(pending[0]["reason"]
        .as_str()
        .unwrap()
        .contains("Insufficient cpu"));
    let web = d["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "web")
        .unwrap()
        .clone();
    assert_eq!(web["dns"], "web.default.svc.cluster.local");
    assert_eq!(web["nodePorts"].as_array().unwrap().len(), 1);
    assert!(web["healthCheckNodePort"].is_u64());
    assert_eq!(d["loadBalancers"].as_array().unwrap().len(), 1);
}

#[test]
fn a_failed_node_frees_its_addresses_and_its_pods_move() {
    let mut s = default_scenario();
    s.workloads.push(web(6));
    let before = build(&s);
    let on_first = |c: &Cluster| {
        c.pods
            .iter()
            .filter(|p| p.node == Some(0) && p.workload == "web")
            .count()
    };
    assert!(on_first(&before) > 0);
    s.node_states
        .insert("ng-1-1".into(), eksplain::scenario::NodeState::Failed);
    let after = build(&s);
    let failed = &after.nodes[0];
    assert!(failed.enis.is_empty());
    assert_eq!(on_first(&after), 0);
    assert_eq!(
        after
            .pods
            .iter()
            .filter(|p| p.workload == "web" && p.status == PodStatus::Running)
            .count(),
        6
    );
    assert!(after
        .pods
        .iter()
        .filter(|p| p.workload == "web")
        .all(|p| p.node != Some(0)));
    // Pods that were elsewhere stay where they were, with the same addresses.
    for pod in before
        .pods
        .iter()
        .filter(|p| p.node.is_some() && p.node != Some(0))
    {
        let now = after
            .pods
            .iter()
            .find(|q| q.name == pod.name)
            .expect("still there");
        assert_eq!((now.node, now.ip), (pod.node, pod.ip), "{} moved", pod.name);
    }
    // The failed node's subnet got its addresses back.
    assert!(after.subnets[3].used() < before.subnets[3].used());
    assert!(after
        .findings
        .iter()
        .any(|f| f.subject == "node:ng-1-1" && f.message.contains("returned to private-a")));
    // Its web pods got new addresses on other nodes; endpoints follow.
    let svc_eps = |c: &Cluster| {
        c.pods
            .iter()
            .filter(|p| p.workload == "web")
            .map(|p| p.ip)
            .collect::<Vec<_>>()
    };
    assert_ne!(svc_eps(&before), svc_eps(&after));
}

#[test]
fn drain_moves_pods_but_keeps_daemonsets_and_cordon_keeps_everything() {
    let mut s = default_scenario();
    s.workloads.push(web(6));
    let before = build(&s);
    s.node_states
        .insert("ng-1-2".into(), eksplain::scenario::NodeState::Cordoned);
    let cordoned = build(&s);
    assert_eq!(
        before
            .pods
            .iter()
            .map(|p| (p.node, p.ip))
            .collect::<Vec<_>>(),
        cordoned
            .pods
            .iter()
            .map(|p| (p.node, p.ip))
            .collect::<Vec<_>>()
    );
    s.node_states
        .insert("ng-1-2".into(), eksplain::scenario::NodeState::Drained);
    let drained = build(&s);
    let on = |c: &Cluster, w: &str| {
        c.pods
            .iter()
            .filter(|p| p.node == Some(1) && p.workload == w)
            .count()
    };
    assert_eq!(on(&drained, "web"), 0);
    assert_eq!(on(&drained, "aws-node"), 1);
    assert_eq!(on(&drained, "kube-proxy"), 1);
    s.node_states
        .insert("ng-9-9".into(), eksplain::scenario::NodeState::Failed);
    let problems = model::build(&s).unwrap_err();
    assert_eq!(problems[0].path.as_str(), "nodeStates.ng-9-9");
}
