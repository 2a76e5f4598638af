//! Who makes a Service's load balancer, its default scheme, and which subnets it goes in:
//! each rule with the upstream source it follows.

use eksplain::model::aws::load_balancer::Controller;
use eksplain::model::{build, Cluster};
use eksplain::scenario::{
    default_scenario, from_json, LoadBalancerController, LoadBalancerKind, LoadBalancerSpec,
    Scenario, Scheme, SchemeOrigin, Service, ServicePort, ServiceType, Subnet, TargetType,
};

fn lb_service(name: &str, spec: LoadBalancerSpec) -> Service {
    Service {
        name: name.into(),
        namespace: "default".into(),
        selector: Default::default(),
        service_type: ServiceType::LoadBalancer,
        ports: vec![ServicePort {
            name: None,
            port: 80,
            target_port: Some(8080),
            protocol: Default::default(),
            node_port: None,
        }],
        external_traffic_policy: Default::default(),
        internal_traffic_policy: Default::default(),
        load_balancer: Some(spec),
    }
}

fn with(spec: LoadBalancerSpec) -> Scenario {
    let mut s = default_scenario();
    s.services.push(lb_service("web", spec));
    s
}

fn cluster(s: &Scenario) -> Cluster {
    build(s).unwrap_or_else(|p| panic!("{p:?}"))
}

/// The load balancer's subnets, by name.
fn subnets_of(c: &Cluster, lb: &str) -> Vec<String> {
    let lb = c.load_balancers.iter().find(|l| l.name == lb).unwrap();
    lb.nodes
        .iter()
        .map(|n| c.subnets[n.subnet].name.clone())
        .collect()
}

/// kubernetes/cloud-provider-aws `pkg/providers/v1/aws.go` (`EnsureLoadBalancer`: `internalELB`
/// only when `aws-load-balancer-internal` is set and not "false") makes internet-facing load
/// balancers by default; the AWS Load Balancer Controller's NLB guide ("secure by default",
/// v2.2.0 on) makes internal ones. A document without `controller` keeps meaning internal.
#[test]
fn the_default_scheme_is_the_controllers_and_old_documents_stay_internal() {
    let in_tree = |kind| LoadBalancerSpec {
        kind,
        controller: Some(LoadBalancerController::InTree),
        ..Default::default()
    };
    for kind in [LoadBalancerKind::Clb, LoadBalancerKind::Nlb] {
        let c = cluster(&with(in_tree(kind)));
        let lb = &c.load_balancers[0];
        assert_eq!(lb.controller, Controller::InTree);
        assert_eq!(lb.scheme, Scheme::InternetFacing, "{kind:?}");
        assert_eq!(lb.scheme_origin, SchemeOrigin::ControllerDefault);
        assert_eq!(
            subnets_of(&c, "default/web"),
            ["public-a", "public-b", "public-c"]
        );
    }
    let c = cluster(&with(LoadBalancerSpec {
        controller: Some(LoadBalancerController::AwsLoadBalancerController),
        ..Default::default()
    }));
    assert_eq!(
        (
            c.load_balancers[0].scheme,
            c.load_balancers[0].scheme_origin
        ),
        (Scheme::Internal, SchemeOrigin::ControllerDefault)
    );
    // A document written before `controller` existed: a CLB with no scheme meant internal, and
    // still does (only the in-tree provider makes CLBs, so that is who makes it).
    let old = r#"{"version": 1, "vpc": {"cidr": "10.0.0.0/16", "subnets": [
        {"name": "public-a", "az": "us-east-1a", "cidr": "10.0.0.0/24", "public": true},
        {"name": "private-a", "az": "us-east-1a", "cidr": "10.0.16.0/20"},
        {"name": "public-b", "az": "us-east-1b", "cidr": "10.0.1.0/24", "public": true},
        {"name": "private-b", "az": "us-east-1b", "cidr": "10.0.32.0/20"}]},
      "services": [{"name": "web", "type": "LoadBalancer", "ports": [{"port": 80}],
        "loadBalancer": {"kind": "clb"}}]}"#;
    let c = cluster(&from_json(old).unwrap());
    let lb = &c.load_balancers[0];
    assert_eq!(
        (lb.controller, lb.scheme, lb.scheme_origin),
        (Controller::InTree, Scheme::Internal, SchemeOrigin::Unstated)
    );
    // And it is drawn where it was: in the private subnets.
    assert_eq!(subnets_of(&c, "default/web"), ["private-a", "private-b"]);
    // An explicit scheme wins over any default.
    let c = cluster(&with(LoadBalancerSpec {
        scheme: Some(Scheme::Internal),
        ..in_tree(LoadBalancerKind::Clb)
    }));
    assert_eq!(c.load_balancers[0].scheme_origin, SchemeOrigin::Given);
    assert_eq!(c.load_balancers[0].scheme, Scheme::Internal);
}

/// kubernetes-sigs/aws-load-balancer-controller `pkg/networking/subnet_resolver.go`
/// (`defaultMinimalAvailableIPAddressCount = 8`, `isSubnetContainsSufficientIPAddresses`) and
/// `docs/deploy/subnet_discovery.md`: subnets with fewer than eight free addresses are skipped;
/// the finding names the subnet and the reason.
#[test]
fn the_controller_skips_subnets_with_fewer_than_eight_free_addresses() {
    let mut s = default_scenario();
    // A /28 (11 usable addresses) listed first in us-east-1a: the first choice there.
    s.vpc.subnets.insert(
        0,
        Subnet {
            name: "tiny-a".into(),
            az: "us-east-1a".into(),
            cidr: "10.0.3.0/28".into(),
            public: true,
            tags: Default::default(),
        },
    );
    let spec = LoadBalancerSpec {
        scheme: Some(Scheme::InternetFacing),
        ..Default::default()
    };
    for i in 0..5 {
        s.services
            .push(lb_service(&format!("web-{i}"), spec.clone()));
    }
    let c = cluster(&s);
    // The NAT gateway takes one address and three load balancers one each: 11 → 7, below 8,
    // so the fourth and fifth move on.
    for i in 0..3 {
        assert_eq!(
            subnets_of(&c, &format!("default/web-{i}"))[0],
            "tiny-a",
            "web-{i}"
        );
    }
    assert_eq!(subnets_of(&c, "default/web-3")[0], "public-a");
    assert_eq!(subnets_of(&c, "default/web-4")[0], "public-a");
    let finding = c
        .findings
        .iter()
        .find(|f| f.message.starts_with("service web-3's load balancer skips"))
        .expect("a finding says why tiny-a was skipped");
    assert!(
        finding.message.contains(
            "tiny-a (only 7 free addresses; the AWS Load Balancer Controller needs at least 8)"
        ),
        "{}",
        finding.message
    );
    // The in-tree provider does not look at free addresses.
    s.services.push(lb_service(
        "legacy",
        LoadBalancerSpec {
            kind: LoadBalancerKind::Clb,
            controller: Some(LoadBalancerController::InTree),
            ..Default::default()
        },
    ));
    let c = cluster(&s);
    assert_eq!(subnets_of(&c, "default/legacy")[0], "tiny-a");
}

/// `docs/deploy/subnet_discovery.md` and `subnet_resolver.go` (`ResolveViaDiscovery`): when
/// any subnet carries the scheme's role tag, only tagged subnets are candidates; the subnets
/// annotation (`ResolveViaNameOrIDSlice`) is used as given. cloud-provider-aws `findELBSubnets`:
/// the in-tree provider prefers the role tag within an AZ and never puts an internet-facing
/// load balancer in a private subnet.
#[test]
fn role_tags_and_the_subnets_annotation_decide_the_subnets() {
    let tag = |s: &mut Scenario, name: &str, key: &str| {
        let subnet = s.vpc.subnets.iter_mut().find(|x| x.name == name).unwrap();
        subnet.tags.insert(key.into(), "1".into());
    };
    // The controller: only the tagged subnets, even if that leaves two AZs out.
    let mut s = with(LoadBalancerSpec::default());
    tag(&mut s, "private-b", "kubernetes.io/role/internal-elb");
    let c = cluster(&s);
    assert_eq!(subnets_of(&c, "default/web"), ["private-b"]);
    let lb = &c.load_balancers[0];
    assert!(lb
        .subnet_choice
        .how
        .contains("tagged kubernetes.io/role/internal-elb"));

    // The in-tree provider, internal: any subnet of the AZ, the tagged one first (then, in
    // place of the lowest subnet id, a private one).
    let mut s = with(LoadBalancerSpec {
        kind: LoadBalancerKind::Clb,
        controller: Some(LoadBalancerController::InTree),
        scheme: Some(Scheme::Internal),
        ..Default::default()
    });
    tag(&mut s, "public-a", "kubernetes.io/role/internal-elb");
    let c = cluster(&s);
    assert_eq!(
        subnets_of(&c, "default/web"),
        ["public-a", "private-b", "private-c"]
    );

    // The in-tree provider, internet-facing: a tagged private subnet is still skipped.
    let mut s = with(LoadBalancerSpec {
        kind: LoadBalancerKind::Clb,
        controller: Some(LoadBalancerController::InTree),
        ..Default::default()
    });
    tag(&mut s, "private-a", "kubernetes.io/role/elb");
    let c = cluster(&s);
    assert_eq!(
        subnets_of(&c, "default/web"),
        ["public-a", "public-b", "public-c"]
    );

    // The subnets annotation: exactly those, whatever their tags or reachability.
    let s = with(LoadBalancerSpec {
        scheme: Some(Scheme::InternetFacing),
        subnets: vec!["public-c".into(), "private-a".into()],
        ..Default::default()
    });
    let c = cluster(&s);
    assert_eq!(subnets_of(&c, "default/web"), ["private-a", "public-c"]);

    // A subnet tagged for another cluster only is passed over, and the finding says so.
    let mut s = with(LoadBalancerSpec::default());
    tag(&mut s, "private-a", "kubernetes.io/cluster/other");
    let c = cluster(&s);
    assert_eq!(subnets_of(&c, "default/web"), ["private-b", "private-c"]);
    assert!(c.findings.iter().any(|f| f
        .message
        .contains("private-a (tagged for another cluster only)")));
}

/// What the scenario may not say: subnets that do not exist or share an AZ (the controller's
/// `validateSubnetsAZExclusivity`), a Classic LB from the AWS Load Balancer Controller, ip
/// targets from the in-tree provider, tags beyond EC2's limits.
#[test]
fn impossible_load_balancer_settings_are_problems_with_their_paths() {
    let problems = |s: &Scenario| -> Vec<String> {
        build(s)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    };
    let s = with(LoadBalancerSpec {
        subnets: vec!["public-a".into(), "private-a".into(), "nowhere".into()],
        ..Default::default()
    });
    let p = problems(&s);
    assert!(p.iter().any(|m| m.starts_with("services[0].loadBalancer.subnets[1]: subnets public-a and private-a are both in us-east-1a")), "{p:?}");
    assert!(
        p.iter()
            .any(|m| m == "services[0].loadBalancer.subnets[2]: no subnet is named `nowhere`"),
        "{p:?}"
    );
    let s = with(LoadBalancerSpec {
        kind: LoadBalancerKind::Clb,
        controller: Some(LoadBalancerController::AwsLoadBalancerController),
        ..Default::default()
    });
    assert!(problems(&s)[0].starts_with(
        "services[0].loadBalancer.controller: the AWS Load Balancer Controller makes NLBs"
    ));
    let s = with(LoadBalancerSpec {
        controller: Some(LoadBalancerController::InTree),
        target_type: TargetType::Ip,
        ..Default::default()
    });
    assert!(problems(&s)[0].starts_with(
        "services[0].loadBalancer.targetType: the in-tree cloud provider registers instances only"
    ));
    let mut s = default_scenario();
    s.vpc.subnets[0].tags.insert(String::new(), "x".into());
    s.vpc.subnets[1].tags.insert("k".into(), "v".repeat(300));
    let p = problems(&s);
    assert!(
        p.iter().any(|m| m.starts_with("vpc.subnets[0].tags")),
        "{p:?}"
    );
    assert!(
        p.iter()
            .any(|m| m.starts_with("vpc.subnets[1].tags.k: a tag value may have at most 256")),
        "{p:?}"
    );
}

/// The EKS user guide, "Learn about IPv6 addresses to clusters, Pods, and services"
/// (docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html) and "Route application and HTTP
/// traffic with Application Load Balancers" ("You can only load balance over IPv6 to IP
/// targets, not instance targets"): load balancers reach IPv6 pods in ip mode only, and the
/// in-tree service controller has no IPv6. No hop ever carries an IPv4 source to an IPv6
/// destination.
#[test]
fn ipv6_pods_are_reached_by_ip_targets_only_and_never_from_ipv4() {
    use eksplain::model::traffic::trace;
    let mut s = default_scenario();
    s.cluster.ip_family = eksplain::scenario::IpFamily::IPv6;
    s.cluster.vpc_cni.prefix_delegation = true;
    s.workloads.push(
        serde_json::from_str(r#"{"name": "web", "replicas": 3, "labels": {"app": "web"}}"#)
            .unwrap(),
    );
    let internet_facing = LoadBalancerSpec {
        scheme: Some(Scheme::InternetFacing),
        ..Default::default()
    };
    let mut add = |name: &str, spec: LoadBalancerSpec| {
        let mut svc = lb_service(name, spec);
        svc.selector = [("app".to_string(), "web".to_string())].into();
        s.services.push(svc);
    };
    add(
        "ip",
        LoadBalancerSpec {
            target_type: TargetType::Ip,
            ..internet_facing.clone()
        },
    );
    add("instance", internet_facing.clone());
    add(
        "in-tree",
        LoadBalancerSpec {
            kind: LoadBalancerKind::Clb,
            controller: Some(LoadBalancerController::InTree),
            ..Default::default()
        },
    );
    let c = cluster(&s);
    for (name, why) in [
        (
            "instance",
            "instance targets do not work in an IPv6 cluster",
        ),
        (
            "in-tree",
            "the in-tree cloud provider does not support IPv6",
        ),
    ] {
        assert!(
            c.findings.iter().any(|f| f
                .message
                .starts_with(&format!("service {name} cannot be reached"))
                && f.message.contains(why)),
            "{name}: {:?}",
            c.findings
        );
        let t = trace(&c, &[], &format!("internet->service/{name}")).unwrap();
        assert!(
            t.verdict.reason().unwrap_or_default().starts_with(why),
            "{t:?}"
        );
    }
    let t = trace(&c, &[], "internet->service/ip").unwrap();
    assert!(t.verdict.is_delivered(), "{t:?}");
    let seen = t.client_ip_seen.unwrap();
    assert!(seen.is_ipv6(), "{seen}");
    for name in ["ip", "instance", "in-tree"] {
        let t = trace(&c, &[], &format!("internet->service/{name}")).unwrap();
        for h in &t.hops {
            assert_eq!(h.src.is_ipv4(), h.dst.is_ipv4(), "{name}: {h:?}");
        }
    }
}
