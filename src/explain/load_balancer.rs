//! A load balancer's page — who made it, its scheme and targets, cross-zone, a node and an
//! address in each AZ, what it serves — and the page of its node in one AZ.

use super::docs;
use super::explanation::{derived, fact, mono, Explanation};
use crate::layout::text::plural;
use crate::model::aws::load_balancer::{Controller, LbKind, LbNode, LoadBalancer};
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::{Cluster, Id};
use crate::scenario::{Scheme, SchemeOrigin, TargetType};

/// A load balancer's scheme as the annotation writes it.
pub(super) fn scheme_text(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Internal => "internal",
        Scheme::InternetFacing => "internet-facing",
    }
}

/// What a target type sends connections to.
pub(super) fn target_text(target: TargetType) -> &'static str {
    match target {
        TargetType::Instance => "instance: each node, on the Service's NodePort",
        TargetType::Ip => "ip: each ready pod's own address",
    }
}

/// Where `lb` is in `Cluster::load_balancers`, which Services and Ingresses point at.
fn lb_index(cluster: &Cluster, lb: &LoadBalancer) -> Option<usize> {
    cluster.load_balancers.iter().position(|l| l.id == lb.id)
}

/// How a link to a load balancer's node reads: AZ, subnet, addresses.
fn lb_node_text(cluster: &Cluster, n: &LbNode) -> String {
    let subnet = cluster
        .subnets
        .get(n.subnet)
        .map_or("?", |s| s.name.as_str());
    match n.public_ip {
        Some(public) => format!("{} · {} · {} (public {public})", n.az, subnet, n.private_ip),
        None => format!("{} · {} · {}", n.az, subnet, n.private_ip),
    }
}

/// A load balancer: one node (and address) per AZ, and what it forwards to.
pub(super) fn load_balancer(cluster: &Cluster, lb: &LoadBalancer) -> Explanation {
    let mut d = Explanation::new(lb.kind.label(), lb.name.clone());
    let index = lb_index(cluster, lb);
    let services: Vec<&Service> = cluster
        .services
        .iter()
        .filter(|s| index.is_some() && s.load_balancer_index == index)
        .collect();
    let ingresses: Vec<&Ingress> = cluster
        .ingresses
        .iter()
        .filter(|i| index.is_some() && i.load_balancer == index)
        .collect();
    let made_by = match (lb.kind, lb.controller) {
        (LbKind::Alb, _) => "the AWS Load Balancer Controller, for an IngressGroup",
        (_, Controller::AwsLoadBalancerController) => {
            "the AWS Load Balancer Controller, for a LoadBalancer Service"
        }
        (_, Controller::InTree) => "the in-tree cloud provider, for a LoadBalancer Service",
    };
    d.summary = Some(format!(
        "An {} {} made by {made_by}; it has a node and an address in each of {} and forwards to {}.",
        scheme_text(lb.scheme),
        lb.kind.label(),
        plural(lb.nodes.len() as u32, "Availability Zone", "Availability Zones"),
        match lb.target_type {
            TargetType::Instance => "the nodes' NodePort",
            TargetType::Ip => "the pods' addresses directly",
        }
    ));
    let maker_name = match lb.controller {
        Controller::AwsLoadBalancerController => "AWS Load Balancer Controller",
        Controller::InTree => "in-tree cloud provider",
    };
    let skipped: Vec<String> = lb
        .subnet_choice
        .skipped
        .iter()
        .map(|(i, why)| {
            let name = cluster.subnets.get(*i).map_or("?", |s| s.name.as_str());
            format!("{name} skipped: {why}")
        })
        .collect();
    d.facts = vec![
        derived("Made by", maker_name, maker_reason(lb)),
        derived("Scheme", scheme_text(lb.scheme), scheme_reason(lb)),
        derived(
            "Subnets",
            lb.nodes
                .iter()
                .filter_map(|n| cluster.subnets.get(n.subnet).map(|s| s.name.clone()))
                .collect::<Vec<_>>()
                .join(", "),
            if skipped.is_empty() {
                lb.subnet_choice.how.clone()
            } else {
                format!("{}; {}", lb.subnet_choice.how, skipped.join("; "))
            },
        ),
        fact("Targets", target_text(lb.target_type)),
        derived(
            "Cross-zone",
            if lb.cross_zone { "on" } else { "off" },
            if lb.kind == LbKind::Alb {
                "always on for an Application Load Balancer"
            } else if lb.cross_zone {
                "each node spreads over targets in every AZ"
            } else {
                "each node sends only to targets in its own AZ"
            },
        ),
        fact("DNS name", mono(lb.dns_name.clone())),
    ];
    for n in &lb.nodes {
        d.link(
            "Node in AZ",
            Id::LbNode {
                lb: lb.name.clone(),
                az: n.az.clone(),
            },
            lb_node_text(cluster, n),
        );
    }
    for s in services {
        d.link(
            "Service",
            s.id.clone(),
            format!("{}/{} · {}", s.namespace, s.name, s.cluster_ip),
        );
    }
    for i in ingresses {
        d.link(
            "Ingress",
            i.id.clone(),
            format!("{}/{}", i.namespace, i.name),
        );
    }
    d.docs = vec![match lb.kind {
        LbKind::Alb => docs::ALB_INGRESS,
        LbKind::Nlb | LbKind::Clb => docs::NETWORK_LOAD_BALANCING,
    }];
    d
}

/// Why this controller made it.
fn maker_reason(lb: &LoadBalancer) -> &'static str {
    match (lb.kind, lb.controller) {
        (LbKind::Alb, _) => "an Ingress's ALB comes from the AWS Load Balancer Controller",
        (LbKind::Clb, _) => "only the in-tree cloud provider makes Classic Load Balancers",
        (LbKind::Nlb, Controller::InTree) => {
            "an NLB from the in-tree provider (aws-load-balancer-type: nlb, controller: in-tree)"
        }
        (LbKind::Nlb, Controller::AwsLoadBalancerController) => {
            "the controller's NLB (loadBalancerClass service.k8s.aws/nlb or aws-load-balancer-type: external)"
        }
    }
}

/// Why it has its scheme: given, or whose default and why (kubernetes/cloud-provider-aws
/// `aws.go` for the in-tree provider; the AWS Load Balancer Controller's guides).
fn scheme_reason(lb: &LoadBalancer) -> &'static str {
    match (lb.scheme_origin, lb.kind, lb.controller) {
        (SchemeOrigin::Given, LbKind::Alb, _) => {
            "set by the Ingress (alb.ingress.kubernetes.io/scheme)"
        }
        (SchemeOrigin::Given, _, _) => "set by the Service (its scheme annotation)",
        (SchemeOrigin::ControllerDefault, LbKind::Alb, _) => {
            "the AWS Load Balancer Controller's default: internal unless alb.ingress.kubernetes.io/scheme is internet-facing"
        }
        (SchemeOrigin::ControllerDefault, _, Controller::InTree) => {
            "the in-tree provider's default: internet-facing unless service.beta.kubernetes.io/aws-load-balancer-internal is set"
        }
        (SchemeOrigin::ControllerDefault, _, Controller::AwsLoadBalancerController) => {
            "the AWS Load Balancer Controller's default: internal unless service.beta.kubernetes.io/aws-load-balancer-scheme is internet-facing"
        }
        (SchemeOrigin::Unstated, _, _) => {
            "not set and no controller named: eksplain keeps internal, as it drew every Classic LB before it told the controllers apart, though the in-tree provider's own default is internet-facing; set controller: in-tree for that default, or scheme"
        }
    }
}

/// One AZ's node of a load balancer: its address in a subnet of that AZ.
pub(super) fn lb_node(cluster: &Cluster, lb: &LoadBalancer, n: &LbNode) -> Explanation {
    let mut d = Explanation::new("Load balancer node", format!("{} in {}", lb.name, n.az));
    d.summary = Some(format!(
        "The {}'s network interface in {}: connections resolved to this AZ's address arrive here.",
        lb.kind.label(),
        n.az
    ));
    d.facts = vec![
        fact("Availability Zone", n.az.clone()),
        fact("Private address", mono(n.private_ip.to_string())),
    ];
    if let Some(public) = n.public_ip {
        d.facts
            .push(fact("Public address", mono(public.to_string())));
    }
    d.link("Load balancer", lb.id.clone(), lb.name.clone());
    if let Some(s) = cluster.subnets.get(n.subnet) {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    d.docs = vec![match lb.kind {
        LbKind::Alb => docs::ALB_INGRESS,
        LbKind::Nlb | LbKind::Clb => docs::NETWORK_LOAD_BALANCING,
    }];
    d
}

#[cfg(test)]
mod tests {
    use super::super::explain_text;
    use super::super::test_support::{gallery, page, value};
    use crate::model::Id;

    fn lb_node_id(lb: &crate::model::aws::load_balancer::LoadBalancer, az: &str) -> Id {
        Id::LbNode {
            lb: lb.name.clone(),
            az: az.to_string(),
        }
    }

    #[test]
    fn an_nlb_page_names_its_nodes_and_service() {
        let cluster = gallery("etp-cluster-vs-local");
        let lb = &cluster.load_balancers[0];
        let p = page(&cluster, &lb.id);
        let nodes = p.related.iter().filter(|l| l.label == "Node in AZ").count();
        assert_eq!(nodes, lb.nodes.len());
        assert!(p.related.iter().any(|l| l.label == "Service"));
        assert_eq!(value(&p, "DNS name"), lb.dns_name);
        let node = &lb.nodes[0];
        let p = page(&cluster, lb_node_id(lb, &node.az));
        assert_eq!(value(&p, "Private address"), node.private_ip.to_string());
        assert_eq!(value(&p, "Availability Zone"), node.az);
    }

    #[test]
    fn every_load_balancer_and_node_has_a_page() {
        for name in ["etp-cluster-vs-local", "ingress-groups"] {
            let cluster = gallery(name);
            assert!(!cluster.load_balancers.is_empty(), "{name}");
            for lb in &cluster.load_balancers {
                assert!(page(&cluster, &lb.id).summary.is_some());
                for n in &lb.nodes {
                    page(&cluster, lb_node_id(lb, &n.az));
                }
            }
        }
        let cluster = gallery("etp-cluster-vs-local");
        let lb = &cluster.load_balancers[0];
        assert!(explain_text(&cluster, &lb_node_id(lb, "mars-1a").to_string()).is_err());
        assert!(explain_text(&cluster, "lb:nothing").is_err());
    }

    /// The page shows who made the load balancer and why its scheme is what it is: the
    /// in-tree provider's default is internet-facing (kubernetes/cloud-provider-aws
    /// `pkg/providers/v1/aws.go`), the AWS Load Balancer Controller's internal.
    #[test]
    fn the_page_says_who_made_it_and_where_its_scheme_comes_from() {
        use crate::scenario::{LoadBalancerController, LoadBalancerKind, LoadBalancerSpec};
        let mut s = crate::scenario::default_scenario();
        let mut svc: crate::scenario::Service = serde_json::from_str(
            r#"{"name": "web", "type": "LoadBalancer", "ports": [{"port": 80}]}"#,
        )
        .unwrap();
        svc.load_balancer = Some(LoadBalancerSpec {
            kind: LoadBalancerKind::Clb,
            controller: Some(LoadBalancerController::InTree),
            ..LoadBalancerSpec::default()
        });
        s.services.push(svc);
        let cluster = crate::model::build(&s).unwrap();
        let lb = &cluster.load_balancers[0];
        let p = page(&cluster, &lb.id);
        assert_eq!(value(&p, "Made by"), "in-tree cloud provider");
        assert_eq!(value(&p, "Scheme"), "internet-facing");
        let why = p.fact("Scheme").and_then(|f| f.formula.clone()).unwrap();
        assert!(why.starts_with("the in-tree provider's default"), "{why}");
        assert_eq!(value(&p, "Subnets"), "public-a, public-b, public-c");

        let cluster = gallery("etp-cluster-vs-local");
        let p = page(&cluster, &cluster.load_balancers[0].id);
        assert_eq!(value(&p, "Made by"), "AWS Load Balancer Controller");
        let why = p.fact("Subnets").and_then(|f| f.formula.clone()).unwrap();
        assert!(why.contains("at least 8 free addresses"), "{why}");
    }
}
