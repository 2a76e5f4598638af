//! Ingresses served by the AWS Load Balancer Controller: one ALB per IngressGroup
//! (`alb.ingress.kubernetes.io/group.name`), or per Ingress when it has no group.

use crate::model::fast_hash::{map_with_capacity, FastMap, FastSet};

use super::services::Service;
use crate::scenario::{self, Path, Problem, Scheme, ServiceType, TargetType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    /// Stable id, `ingress:<namespace>/<name>`.
    pub id: crate::model::Id,
    pub name: String,
    pub namespace: String,
    /// The IngressGroup: the group name, or `<namespace>/<name>` for an Ingress of its own.
    pub group: String,
    pub scheme: Scheme,
    pub target_type: TargetType,
    pub rules: Vec<Rule>,
    /// Index into `Cluster::load_balancers` (filled in when the ALB is placed).
    pub load_balancer: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub host: Option<String>,
    pub path: String,
    /// Index into `Cluster::services`.
    pub service: usize,
    pub port: u16,
}

/// Checks every Ingress against the services and returns them. An instance-target backend
/// must be reachable on a NodePort; Ingresses of one group must agree on the scheme.
pub fn build_ingresses(
    specs: &[scenario::Ingress],
    services: &[Service],
    problems: &mut Vec<Problem>,
) -> Vec<Ingress> {
    let base = Path::root().field("ingresses");
    let mut seen = FastSet::default();
    let mut out: Vec<Ingress> = Vec::new();
    // Services by (namespace, name), the first of each; ingresses by group, in order.
    let mut by_name: FastMap<(&str, &str), usize> = FastMap::default();
    if !specs.is_empty() {
        by_name.reserve(services.len());
        for (i, s) in services.iter().enumerate() {
            by_name
                .entry((s.namespace.as_str(), s.name.as_str()))
                .or_insert(i);
        }
    }
    let mut groups: FastMap<String, Vec<usize>> = map_with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let path = base.index(i);
        if !seen.insert((spec.namespace.as_str(), spec.name.as_str())) {
            problems.push(Problem::new(
                path.field("name"),
                format!(
                    "another Ingress in {} is already named `{}`",
                    spec.namespace, spec.name
                ),
            ));
        }
        let group = spec
            .group_name
            .clone()
            .unwrap_or_else(|| format!("{}/{}", spec.namespace, spec.name));
        if let Some(other) = groups
            .get(&group)
            .into_iter()
            .flatten()
            .map(|&o| &out[o])
            .find(|o| o.scheme != spec.scheme)
        {
            problems.push(Problem::new(
                path.field("scheme"),
                format!(
                    "Ingress group `{group}` already has {} as {:?}; one ALB has one scheme",
                    other.name, other.scheme
                ),
            ));
        }
        if spec.rules.is_empty() {
            problems.push(Problem::new(
                path.field("rules"),
                "an Ingress needs at least one rule",
            ));
        }
        let mut rules = Vec::new();
        for (r, rule) in spec.rules.iter().enumerate() {
            let rpath = path.field("rules").index(r);
            let Some(&s) = by_name.get(&(spec.namespace.as_str(), rule.service.as_str())) else {
                problems.push(Problem::new(
                    rpath.field("service"),
                    format!(
                        "no service `{}` in namespace {}",
                        rule.service.escape_default(),
                        spec.namespace
                    ),
                ));
                continue;
            };
            if !services[s].ports.iter().any(|p| p.port == rule.port) {
                problems.push(Problem::new(
                    rpath.field("port"),
                    format!("service {} has no port {}", rule.service, rule.port),
                ));
            }
            if spec.target_type == TargetType::Instance
                && services[s].service_type == ServiceType::ClusterIP
            {
                problems.push(Problem::new(
                    rpath.field("service"),
                    format!(
                        "target type instance sends traffic to a NodePort, but service {} is ClusterIP; make it NodePort or use target type ip",
                        rule.service
                    ),
                ));
            }
            rules.push(Rule {
                host: rule.host.clone(),
                path: rule.path.clone(),
                service: s,
                port: rule.port,
            });
        }
        groups.entry(group.clone()).or_default().push(out.len());
        out.push(Ingress {
            id: crate::model::Id::Ingress {
                namespace: spec.namespace.clone(),
                name: spec.name.clone(),
            },
            name: spec.name.clone(),
            namespace: spec.namespace.clone(),
            group,
            scheme: spec.scheme,
            target_type: spec.target_type,
            rules,
            load_balancer: None,
        });
    }
    out
}
