//! What the inspector says about one thing of the cluster, as plain data: given a built
//! [`Cluster`] and an id (`node:ng-1-1`, `eni:ng-1-1/eth0`, `pod:default/web-1`, `lb:web`, …),
//! [`explain`] returns an [`Explanation`] — title, summary, facts with the formulas that
//! produced them, the findings about it, links to related ids and to the documentation.
//!
//! The browser's inspector (`ui::inspector`) only draws an `Explanation`; `eksplain explain`
//! prints the same one as text or JSON, so every page is testable without a browser.
//!
//! Ids are `model::Id`s; `resolve.rs` finds the model object an id names, and one file per kind of page computes what it shows: `network`
//! (internet, cloud, Region, VPC, AZ, gateways), `subnet` (and node group summaries), `node`
//! (and its hostNetwork pods), `eni` (ENIs, addresses, prefixes, slots, branch ENIs), `pod`
//! (and workloads, pending pods), `control_plane`, `load_balancer` (and its AZ nodes),
//! `service` (and ingresses).
//!
//! **Layering:** pure; reads `model`, `scenario` and the layout's counts for summaries
//! (`layout::aggregate`) and number formats (`layout::text`); never `ui`, no web crate.

pub mod change_summary;
mod control_plane;
pub mod docs;
mod eni;
mod explanation;
mod load_balancer;
mod network;
mod node;
mod pod;
mod resolve;
mod service;
mod subnet;

pub use explanation::{Explanation, Fact, Note, Related, Style};
pub use resolve::{examples, resolve, resolve_text, Subject, Unknown};

use crate::model::{Cluster, Id};

/// The page for the id `text` (a user's, on the command line), or why there is none.
pub fn explain_text<'a>(cluster: &'a Cluster, text: &str) -> Result<Explanation, Unknown<'a>> {
    match text.parse::<Id>() {
        Ok(id) => explain(cluster, &id),
        Err(_) => Err(resolve_text(cluster, text).expect_err("a text that is no id names nothing")),
    }
}

/// The page for `id`, or why there is none.
pub fn explain<'a>(cluster: &'a Cluster, id: &Id) -> Result<Explanation, Unknown<'a>> {
    let subject = resolve(cluster, id)?;
    let mut page = page(cluster, subject);
    page.id = id.to_string();
    page.kind = id.prefix();
    page.findings = cluster
        .findings
        .iter()
        .filter(|f| f.subject == *id)
        .map(|f| Note {
            severity: f.severity,
            message: f.message.clone(),
        })
        .collect();
    Ok(page)
}

/// What the page of `subject` shows.
fn page(cluster: &Cluster, subject: Subject) -> Explanation {
    match subject {
        Subject::Internet => network::internet(cluster),
        Subject::Cloud => network::cloud(),
        Subject::Region(region) => network::region(cluster, region),
        Subject::Vpc => network::vpc(cluster),
        Subject::Az(az) => network::az(cluster, az),
        Subject::Igw => network::igw(cluster),
        Subject::NatGw(nat) => network::nat_gateway(cluster, nat),
        Subject::Subnet(s) => subnet::subnet(cluster, s),
        Subject::Summary(s, group) => subnet::summary(cluster, s, group),
        Subject::Node(n) => node::node(cluster, n),
        Subject::HostNetwork(n) => node::host_network(cluster, n),
        Subject::Eni(n, e) => eni::eni(cluster, n, e),
        Subject::Ip(n, e, slot) => eni::ip(cluster, n, e, slot),
        Subject::Prefix(n, e, p) => eni::prefix(cluster, n, e, p),
        Subject::Slot(n, e, k) => eni::free_slot(n, e, k),
        Subject::Branch(n, b) => eni::branch(cluster, n, b),
        Subject::Pod(p) => pod::pod(cluster, p),
        Subject::Workloads => pod::workloads(cluster),
        Subject::Workload(namespace, name) => pod::workload(cluster, namespace, name),
        Subject::Pending => pod::pending(cluster),
        Subject::ControlPlane => control_plane::control_plane(cluster),
        Subject::Component(name, role) => control_plane::component(name, role),
        Subject::EksEni(e) => control_plane::eks_eni(cluster, e),
        Subject::LoadBalancer(lb) => load_balancer::load_balancer(cluster, lb),
        Subject::LbNode(lb, n) => load_balancer::lb_node(cluster, lb, n),
        Subject::Service(s) => service::service(cluster, s),
        Subject::Ingress(i) => service::ingress(cluster, i),
    }
}

/// Test helpers shared by the page files' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{explain, explain_text, Explanation};
    use crate::model::{self, Cluster};
    use crate::scenario::{default_scenario, from_json, Scenario};

    /// A gallery scenario, built.
    pub fn gallery(name: &str) -> Cluster {
        let path = format!(
            "{}/static/scenarios/gallery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        model::build(&from_json(&text).unwrap()).unwrap()
    }

    /// The page of `id`, which must exist, each of its links leading to a page too.
    pub fn page(cluster: &Cluster, id: impl ToString) -> Explanation {
        let id = id.to_string();
        let page = explain_text(cluster, &id).unwrap_or_else(|e| panic!("{e}"));
        assert!(!page.title.is_empty(), "{id}");
        for r in &page.related {
            assert!(explain(cluster, &r.id).is_ok(), "{id} links to {}", r.id);
        }
        page
    }

    /// The default scenario and variants that draw every kind of thing: prefixes, branch ENIs,
    /// a full subnet, IPv6, and branch ENIs in an IPv6 cluster.
    pub fn scenarios() -> Vec<Scenario> {
        let web = |replicas: u32, groups: &[&str]| crate::scenario::Workload {
            name: "web".into(),
            namespace: "default".into(),
            kind: Default::default(),
            replicas,
            labels: Default::default(),
            requests: Default::default(),
            node_selector: Default::default(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            host_network: false,
            container_port: 8080,
        };
        let mut out = vec![default_scenario()];
        let mut pd = default_scenario();
        pd.cluster.vpc_cni.prefix_delegation = true;
        pd.workloads.push(web(20, &[]));
        out.push(pd);
        let mut sg = default_scenario();
        sg.cluster.vpc_cni.pod_eni = true;
        sg.workloads.push(web(6, &["sg-0123456789abcdef0"]));
        out.push(sg);
        let mut crowded = default_scenario();
        crowded.vpc.subnets[3].cidr = "10.0.16.0/28".into();
        crowded.workloads.push(web(100, &[]));
        out.push(crowded);
        let mut v6 = default_scenario();
        v6.cluster.ip_family = crate::scenario::IpFamily::IPv6;
        v6.cluster.vpc_cni.prefix_delegation = true;
        v6.workloads.push(web(4, &[]));
        out.push(v6);
        let mut v6_sg = default_scenario();
        v6_sg.cluster.ip_family = crate::scenario::IpFamily::IPv6;
        v6_sg.cluster.vpc_cni.prefix_delegation = true;
        v6_sg.cluster.vpc_cni.pod_eni = true;
        v6_sg.workloads.push(web(4, &["sg-0123456789abcdef0"]));
        out.push(v6_sg);
        out
    }

    /// The value of the fact labelled `label`, which must be there.
    pub fn value<'a>(page: &'a Explanation, label: &str) -> &'a str {
        &page
            .fact(label)
            .unwrap_or_else(|| panic!("{} has no {label}", page.id))
            .value
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{page, scenarios};
    use super::*;
    use crate::layout;
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn every_drawn_thing_has_a_page_whose_links_lead_somewhere() {
        for scenario in scenarios() {
            let cluster = model::build(&scenario).unwrap();
            let scene = layout::layout(&cluster);
            // The service band is a frame the pointer passes through: it has no page.
            for shape in scene.walk().filter(|s| s.kind != layout::Kind::ServiceBand) {
                let p = page(&cluster, &shape.id);
                assert_eq!(p.id, shape.id.to_string());
                assert_eq!(p.kind, shape.id.prefix(), "{}", shape.id);
            }
            // Every finding's subject is drawn, with a badge, and its page lists the finding.
            for f in &cluster.findings {
                let shape = scene
                    .find(&f.subject)
                    .unwrap_or_else(|| panic!("finding subject {} is not drawn", f.subject));
                assert!(shape.badge.is_some(), "{} has no badge", f.subject);
                let p = page(&cluster, &f.subject);
                assert!(p.findings.iter().any(|n| n.message == f.message));
            }
        }
    }

    #[test]
    fn an_unknown_id_is_an_error_not_a_page() {
        let cluster = model::build(&default_scenario()).unwrap();
        let e = explain_text(&cluster, "node:ng-9-9").unwrap_err();
        assert_eq!(e.kind(), Some("node"));
        assert!(e.to_string().contains("node:ng-1-1"), "{e}");
        let e = explain_text(&cluster, "frobnicate").unwrap_err();
        assert_eq!((e.id(), e.kind()), ("frobnicate", None));
    }
}
