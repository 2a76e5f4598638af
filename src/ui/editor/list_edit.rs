//! The editor's lists — subnets, node groups, workloads, Services, Ingresses, flows and
//! security groups — as data: each list's fields (label, control, hint), each field's text
//! read from and written to the draft, and adding, duplicating and removing items. One
//! generic form ([`crate::ui::item_list`]) draws any of them from [`fields`].
//!
//! A field is text in the form and a typed value in the document: [`set`] parses the text
//! (a map is `app=web, tier=front`, ports `80:8080`, a rule `tcp 5432 from sg-0123abcd`) and
//! says why it cannot, which the workspace keeps as the field's problem; the model checks
//! the rest and reports at the same paths. Pure: tested natively.

use std::collections::BTreeMap;

use crate::model::aws::cidr_plan::suggest_subnet_cidr;
use crate::model::k8s::pods::label_map;
use crate::scenario::{
    Flow, Ingress, IngressRule, LoadBalancerController, LoadBalancerKind, LoadBalancerSpec,
    NodeGroup, Protocol, RuleProtocol, Scenario, Scheme, SecurityGroup, SecurityGroupEgress,
    SecurityGroupIngress, Service, ServicePort, ServiceType, Taint, TaintEffect, TargetType,
    Toleration, TolerationOperator, TopologySpreadConstraint, TrafficPolicy, WhenUnsatisfiable,
    WorkloadKind,
};
use crate::ui::workspace::{parse_count, parse_number, MAX_REPLICAS};

/// A list of the scenario the editor adds to, duplicates in and removes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    Subnets,
    NodeGroups,
    Workloads,
    Services,
    Ingresses,
    Flows,
    SecurityGroups,
}

impl List {
    pub const ALL: [List; 7] = [
        List::Subnets,
        List::NodeGroups,
        List::Workloads,
        List::Services,
        List::Ingresses,
        List::Flows,
        List::SecurityGroups,
    ];

    /// The list's path in the document (`vpc.subnets`).
    pub fn path(self) -> &'static str {
        match self {
            List::Subnets => "vpc.subnets",
            List::NodeGroups => "managedNodeGroups",
            List::Workloads => "workloads",
            List::Services => "services",
            List::Ingresses => "ingresses",
            List::Flows => "flows",
            List::SecurityGroups => "securityGroups",
        }
    }

    /// What one item is called (`node group`).
    pub fn noun(self) -> &'static str {
        match self {
            List::Subnets => "subnet",
            List::NodeGroups => "node group",
            List::Workloads => "workload",
            List::Services => "Service",
            List::Ingresses => "Ingress",
            List::Flows => "flow",
            List::SecurityGroups => "security group",
        }
    }

    /// Plural, for "Show 50 more (120 subnets not shown)".
    pub fn plural(self) -> &'static str {
        match self {
            List::Subnets => "subnets",
            List::NodeGroups => "node groups",
            List::Workloads => "workloads",
            List::Services => "Services",
            List::Ingresses => "Ingresses",
            List::Flows => "flows",
            List::SecurityGroups => "security groups",
        }
    }

    pub fn len(self, s: &Scenario) -> usize {
        match self {
            List::Subnets => s.vpc.subnets.len(),
            List::NodeGroups => s.managed_node_groups.len(),
            List::Workloads => s.workloads.len(),
            List::Services => s.services.len(),
            List::Ingresses => s.ingresses.len(),
            List::Flows => s.flows.len(),
            List::SecurityGroups => s.security_groups.len(),
        }
    }

    /// Whether the list's items are the same in `a` and `b`: all a row reads of the scenario
    /// ([`get`], [`applies`], [`item_name`] and [`item_summary`] read item `i` of their list
    /// only), so a list whose items an edit left alone is not drawn again (`ui::shared::Part`).
    pub fn same_items(self) -> fn(&Scenario, &Scenario) -> bool {
        match self {
            List::Subnets => |a, b| a.vpc.subnets == b.vpc.subnets,
            List::NodeGroups => |a, b| a.managed_node_groups == b.managed_node_groups,
            List::Workloads => |a, b| a.workloads == b.workloads,
            List::Services => |a, b| a.services == b.services,
            List::Ingresses => |a, b| a.ingresses == b.ingresses,
            List::Flows => |a, b| a.flows == b.flows,
            List::SecurityGroups => |a, b| a.security_groups == b.security_groups,
        }
    }

    /// The path of item `i` (`vpc.subnets[2]`).
    pub fn item_path(self, i: usize) -> String {
        format!("{}[{i}]", self.path())
    }

    /// The path of one field of item `i` (`vpc.subnets[2].cidr`).
    pub fn field_path(self, i: usize, field: &str) -> String {
        format!("{}[{i}].{field}", self.path())
    }
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Text,
    Number,
    /// On/off: the text is `true` or `false`.
    Check,
    /// One of (value, label).
    Choice(&'static [(&'static str, &'static str)]),
}

/// One field of an item's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The path below the item (`loadBalancer.scheme`), as the model names it.
    pub name: &'static str,
    pub label: &'static str,
    pub control: Control,
    pub hint: Option<&'static str>,
    /// Shown in the item's row, not only in its open form.
    pub inline: bool,
}

const fn field(name: &'static str, label: &'static str, control: Control) -> FieldSpec {
    FieldSpec {
        name,
        label,
        control,
        hint: None,
        inline: false,
    }
}

const fn hinted(
    name: &'static str,
    label: &'static str,
    control: Control,
    hint: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        control,
        hint: Some(hint),
        inline: false,
    }
}

const fn inline(mut f: FieldSpec) -> FieldSpec {
    f.inline = true;
    f
}

const MAP_HINT: &str = "key=value, comma-separated";
const EFFECTS: &str = "NoSchedule, PreferNoSchedule or NoExecute";

const SUBNET_FIELDS: &[FieldSpec] = &[
    inline(field("cidr", "CIDR", Control::Text)),
    inline(field("public", "public", Control::Check)),
    hinted("name", "Name", Control::Text, "renaming updates the node groups, control plane and load balancers that use it"),
    hinted("az", "Availability Zone", Control::Text, "like us-east-1a; one region per VPC"),
    hinted("tags", "Tags", Control::Text, "key=value, comma-separated; the load balancer controllers read kubernetes.io/role/elb=1 and kubernetes.io/role/internal-elb=1"),
];

const NODE_GROUP_FIELDS: &[FieldSpec] = &[
    inline(field("instanceType", "Instance type", Control::Text)),
    inline(field("desiredCapacity", "Nodes", Control::Number)),
    field("name", "Name", Control::Text),
    hinted(
        "subnets",
        "Subnets",
        Control::Text,
        "subnet names, comma-separated",
    ),
    hinted("labels", "Node labels", Control::Text, MAP_HINT),
    hinted(
        "taints",
        "Taints",
        Control::Text,
        "key=value:NoSchedule, comma-separated (NoSchedule, PreferNoSchedule, NoExecute)",
    ),
    hinted(
        "maxPodsPerNode",
        "Max pods per node",
        Control::Number,
        "empty: the kubelet's value for the instance type",
    ),
];

const KINDS: &[(&str, &str)] = &[("Deployment", "Deployment"), ("DaemonSet", "DaemonSet")];

const WORKLOAD_FIELDS: &[FieldSpec] = &[
    inline(field("replicas", "Replicas", Control::Number)),
    field("name", "Name", Control::Text),
    field("namespace", "Namespace", Control::Text),
    hinted("kind", "Kind", Control::Choice(KINDS), "a DaemonSet runs one pod per node it tolerates and ignores replicas"),
    hinted("requests.cpu", "CPU request", Control::Text, "a Kubernetes quantity: 250m, 1; empty: none"),
    hinted("requests.memory", "Memory request", Control::Text, "a Kubernetes quantity: 256Mi, 1Gi; empty: none"),
    hinted("labels", "Pod labels", Control::Text, "key=value, comma-separated; empty: app=<name>"),
    hinted("nodeSelector", "Node selector", Control::Text, MAP_HINT),
    hinted("tolerations", "Tolerations", Control::Text, "key=value:NoSchedule, key:NoExecute (any value), key (any effect), * (every taint); comma-separated"),
    hinted("topologySpreadConstraints", "Topology spread", Control::Text, "zone or hostname (or a label key), then :maxSkew and :ScheduleAnyway if wanted: zone:1, hostname:2:ScheduleAnyway"),
    hinted("securityGroups", "Security groups", Control::Text, "sg- ids, comma-separated; with security groups for pods on, each pod gets a branch ENI"),
    field("hostNetwork", "hostNetwork", Control::Check),
    field("containerPort", "Container port", Control::Number),
];

const SERVICE_TYPES: &[(&str, &str)] = &[
    ("ClusterIP", "ClusterIP"),
    ("NodePort", "NodePort"),
    ("LoadBalancer", "LoadBalancer"),
];
const POLICIES: &[(&str, &str)] = &[("Cluster", "Cluster"), ("Local", "Local")];
const LB_KINDS: &[(&str, &str)] = &[
    ("nlb", "NLB (Network Load Balancer)"),
    ("clb", "CLB (Classic Load Balancer)"),
];
const CONTROLLERS: &[(&str, &str)] = &[
    ("", "the kind's default"),
    (
        "aws-load-balancer-controller",
        "AWS Load Balancer Controller",
    ),
    ("in-tree", "in-tree cloud provider"),
];
const SCHEMES: &[(&str, &str)] = &[
    ("", "the controller's default"),
    ("internal", "internal"),
    ("internet-facing", "internet-facing"),
];
const INGRESS_SCHEMES: &[(&str, &str)] = &[
    ("internal", "internal"),
    ("internet-facing", "internet-facing"),
];
const TARGET_TYPES: &[(&str, &str)] = &[("instance", "instance"), ("ip", "ip")];
const CLIENT_IP: &[(&str, &str)] = &[
    ("", "the target type's default"),
    ("true", "on"),
    ("false", "off"),
];

const SERVICE_FIELDS: &[FieldSpec] = &[
    field("name", "Name", Control::Text),
    field("namespace", "Namespace", Control::Text),
    field("type", "Type", Control::Choice(SERVICE_TYPES)),
    hinted("selector", "Selector", Control::Text, "pod labels, key=value, comma-separated: app=web"),
    hinted("ports", "Ports", Control::Text, "port:targetPort, comma-separated; /UDP for UDP, @30080 to request a nodePort, name= to name it: http=80:8080"),
    hinted("externalTrafficPolicy", "externalTrafficPolicy", Control::Choice(POLICIES), "Local keeps the client IP and sends only to nodes with a ready pod"),
    field("internalTrafficPolicy", "internalTrafficPolicy", Control::Choice(POLICIES)),
    field("loadBalancer.kind", "Load balancer", Control::Choice(LB_KINDS)),
    field("loadBalancer.controller", "Controller", Control::Choice(CONTROLLERS)),
    field("loadBalancer.scheme", "Scheme", Control::Choice(SCHEMES)),
    field("loadBalancer.targetType", "Target type", Control::Choice(TARGET_TYPES)),
    field("loadBalancer.crossZone", "Cross-zone load balancing", Control::Check),
    field("loadBalancer.preserveClientIp", "Client IP preservation", Control::Choice(CLIENT_IP)),
    hinted("loadBalancer.subnets", "Load balancer subnets", Control::Text, "subnet names, one per AZ; empty: the controller discovers them by tag"),
];

const INGRESS_FIELDS: &[FieldSpec] = &[
    field("name", "Name", Control::Text),
    field("namespace", "Namespace", Control::Text),
    hinted(
        "groupName",
        "Group",
        Control::Text,
        "Ingresses of one group share one ALB; empty: its own ALB",
    ),
    field("scheme", "Scheme", Control::Choice(INGRESS_SCHEMES)),
    field("targetType", "Target type", Control::Choice(TARGET_TYPES)),
    hinted(
        "rules",
        "Rules",
        Control::Text,
        "host/path -> service:port, comma-separated: example.com/api -> web:80, / -> web:80",
    ),
    hinted(
        "subnets",
        "Subnets",
        Control::Text,
        "subnet names, one per AZ; empty: the controller discovers them by tag",
    ),
];

const FLOW_FIELDS: &[FieldSpec] = &[
    hinted(
        "from",
        "From",
        Control::Text,
        "internet, kubectl, pod/<workload>, node/<name>, service/<name>",
    ),
    hinted(
        "to",
        "To",
        Control::Text,
        "service/<name>, ingress/<name>, pod/<workload>, node/<name>, apiserver, internet",
    ),
];

const SECURITY_GROUP_FIELDS: &[FieldSpec] = &[
    hinted("id", "Id", Control::Text, "sg- and 8 or 17 hexadecimal digits, or cluster for the cluster security group"),
    hinted("ingress", "Inbound rules", Control::Text, "protocol ports from source, comma-separated: tcp 5432 from sg-0123abcd, all from 10.0.0.0/16"),
    hinted("egress", "Outbound rules", Control::Text, "protocol ports to destination: tcp 443 to 0.0.0.0/0; empty: everything allowed; none: nothing"),
];

/// The fields of a list's items, inline ones first.
pub fn fields(list: List) -> &'static [FieldSpec] {
    match list {
        List::Subnets => SUBNET_FIELDS,
        List::NodeGroups => NODE_GROUP_FIELDS,
        List::Workloads => WORKLOAD_FIELDS,
        List::Services => SERVICE_FIELDS,
        List::Ingresses => INGRESS_FIELDS,
        List::Flows => FLOW_FIELDS,
        List::SecurityGroups => SECURITY_GROUP_FIELDS,
    }
}

/// Whether a field applies to item `i` as it is now (a Service's load balancer fields only
/// for type LoadBalancer; externalTrafficPolicy not for a ClusterIP Service).
pub fn applies(s: &Scenario, list: List, i: usize, field: &str) -> bool {
    match (list, s.services.get(i)) {
        (List::Services, Some(svc)) if field.starts_with("loadBalancer.") => {
            svc.service_type == ServiceType::LoadBalancer
        }
        (List::Services, Some(svc)) if field == "externalTrafficPolicy" => {
            svc.service_type != ServiceType::ClusterIP
        }
        _ => true,
    }
}

/// The name a row shows for item `i`.
pub fn item_name(s: &Scenario, list: List, i: usize) -> String {
    match list {
        List::Subnets => s.vpc.subnets.get(i).map(|x| x.name.clone()),
        List::NodeGroups => s.managed_node_groups.get(i).map(|x| x.name.clone()),
        List::Workloads => s
            .workloads
            .get(i)
            .map(|x| format!("{}/{}", x.namespace, x.name)),
        List::Services => s
            .services
            .get(i)
            .map(|x| format!("{}/{}", x.namespace, x.name)),
        List::Ingresses => s
            .ingresses
            .get(i)
            .map(|x| format!("{}/{}", x.namespace, x.name)),
        List::Flows => s.flows.get(i).map(|x| format!("{} → {}", x.from, x.to)),
        List::SecurityGroups => s.security_groups.get(i).map(|x| x.id.clone()),
    }
    .unwrap_or_default()
}

/// One line about item `i` for its row (what the form would take a look to learn).
pub fn item_summary(s: &Scenario, list: List, i: usize) -> String {
    let text = |f: &str| get(s, list, i, f);
    match list {
        List::Subnets => text("az"),
        List::NodeGroups => format!("in {}", text("subnets")),
        List::Workloads => {
            let mut parts = vec![text("kind")];
            for (f, what) in [("requests.cpu", "cpu"), ("requests.memory", "memory")] {
                let v = text(f);
                if !v.is_empty() {
                    parts.push(format!("{what} {v}"));
                }
            }
            if parts.len() == 1 {
                parts.push("no requests".into());
            }
            let sgs = text("securityGroups");
            if !sgs.is_empty() {
                parts.push(sgs);
            }
            parts.join(" · ")
        }
        List::Services => {
            let mut parts = vec![text("type"), text("ports")];
            if applies(s, list, i, "externalTrafficPolicy") {
                parts.push(format!("ETP {}", text("externalTrafficPolicy")));
            }
            parts.retain(|p| !p.is_empty());
            parts.join(" · ")
        }
        List::Ingresses => {
            let n = s.ingresses.get(i).map_or(0, |x| x.rules.len()) as u32;
            format!(
                "{} · {}",
                text("scheme"),
                crate::layout::text::plural(n, "rule", "rules")
            )
        }
        List::Flows => String::new(),
        List::SecurityGroups => {
            let n = s.security_groups.get(i).map_or(0, |x| x.ingress.len()) as u32;
            let out = match s.security_groups.get(i).and_then(|x| x.egress.as_ref()) {
                None => "all outbound".to_string(),
                Some(e) => {
                    crate::layout::text::plural(e.len() as u32, "outbound rule", "outbound rules")
                }
            };
            format!(
                "{} · {out}",
                crate::layout::text::plural(n, "inbound rule", "inbound rules")
            )
        }
    }
}

/// The text of a field of item `i` as the form shows it (empty for a missing item).
pub fn get(s: &Scenario, list: List, i: usize, field: &str) -> String {
    match list {
        List::Subnets => s.vpc.subnets.get(i).map(|x| match field {
            "name" => x.name.clone(),
            "az" => x.az.clone(),
            "cidr" => x.cidr.clone(),
            "public" => x.public.to_string(),
            "tags" => map_text(&x.tags),
            _ => String::new(),
        }),
        List::NodeGroups => s.managed_node_groups.get(i).map(|g| match field {
            "name" => g.name.clone(),
            "instanceType" => g.instance_type.clone(),
            "desiredCapacity" => g.desired_capacity.to_string(),
            "subnets" => g.subnets.join(", "),
            "labels" => map_text(&g.labels),
            "taints" => g
                .taints
                .iter()
                .map(taint_text)
                .collect::<Vec<_>>()
                .join(", "),
            "maxPodsPerNode" => g
                .max_pods_per_node
                .map(|n| n.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        }),
        List::Workloads => s.workloads.get(i).map(|w| match field {
            "name" => w.name.clone(),
            "namespace" => w.namespace.clone(),
            "kind" => format!("{:?}", w.kind),
            "replicas" => w.replicas.to_string(),
            "requests.cpu" => w.requests.cpu.clone().unwrap_or_default(),
            "requests.memory" => w.requests.memory.clone().unwrap_or_default(),
            "labels" => map_text(&w.labels),
            "nodeSelector" => map_text(&w.node_selector),
            "tolerations" => w
                .tolerations
                .iter()
                .map(toleration_text)
                .collect::<Vec<_>>()
                .join(", "),
            "topologySpreadConstraints" => w
                .topology_spread_constraints
                .iter()
                .map(spread_text)
                .collect::<Vec<_>>()
                .join(", "),
            "securityGroups" => w.security_groups.join(", "),
            "hostNetwork" => w.host_network.to_string(),
            "containerPort" => w.container_port.to_string(),
            _ => String::new(),
        }),
        List::Services => s.services.get(i).map(|x| {
            let lb = x.load_balancer.clone().unwrap_or_default();
            match field {
                "name" => x.name.clone(),
                "namespace" => x.namespace.clone(),
                "type" => format!("{:?}", x.service_type),
                "selector" => map_text(&x.selector),
                "ports" => x.ports.iter().map(port_text).collect::<Vec<_>>().join(", "),
                "externalTrafficPolicy" => format!("{:?}", x.external_traffic_policy),
                "internalTrafficPolicy" => format!("{:?}", x.internal_traffic_policy),
                "loadBalancer.kind" => match lb.kind {
                    LoadBalancerKind::Nlb => "nlb",
                    LoadBalancerKind::Clb => "clb",
                }
                .into(),
                "loadBalancer.controller" => match lb.controller {
                    None => "",
                    Some(LoadBalancerController::AwsLoadBalancerController) => {
                        "aws-load-balancer-controller"
                    }
                    Some(LoadBalancerController::InTree) => "in-tree",
                }
                .into(),
                "loadBalancer.scheme" => lb.scheme.map(scheme_text).unwrap_or_default().into(),
                "loadBalancer.targetType" => target_text(lb.target_type).into(),
                "loadBalancer.crossZone" => lb.cross_zone.to_string(),
                "loadBalancer.preserveClientIp" => lb
                    .preserve_client_ip
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
                "loadBalancer.subnets" => lb.subnets.join(", "),
                _ => String::new(),
            }
        }),
        List::Ingresses => s.ingresses.get(i).map(|x| match field {
            "name" => x.name.clone(),
            "namespace" => x.namespace.clone(),
            "groupName" => x.group_name.clone().unwrap_or_default(),
            "scheme" => scheme_text(x.scheme).into(),
            "targetType" => target_text(x.target_type).into(),
            "rules" => x.rules.iter().map(rule_text).collect::<Vec<_>>().join(", "),
            "subnets" => x.subnets.join(", "),
            _ => String::new(),
        }),
        List::Flows => s.flows.get(i).map(|f| match field {
            "from" => f.from.clone(),
            "to" => f.to.clone(),
            _ => String::new(),
        }),
        List::SecurityGroups => s.security_groups.get(i).map(|g| match field {
            "id" => g.id.clone(),
            "ingress" => g
                .ingress
                .iter()
                .map(|r| format!("{} {} from {}", protocol_text(r.protocol), r.ports, r.from))
                .collect::<Vec<_>>()
                .join(", "),
            "egress" => match &g.egress {
                None => String::new(),
                Some(rules) if rules.is_empty() => "none".into(),
                Some(rules) => rules
                    .iter()
                    .map(|r| format!("{} {} to {}", protocol_text(r.protocol), r.ports, r.to))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
            _ => String::new(),
        }),
    }
    .unwrap_or_default()
}

/// Sets a field of item `i` from its text; `Err` says why the text cannot be that field
/// (the document keeps its value). A missing item changes nothing.
pub fn set(s: &mut Scenario, list: List, i: usize, field: &str, text: &str) -> Result<(), String> {
    let t = text.trim();
    match list {
        List::Subnets => {
            let Some(old) = s.vpc.subnets.get(i).map(|x| x.name.clone()) else {
                return Ok(());
            };
            if field == "name" {
                rename_subnet(s, &old, t);
                return Ok(());
            }
            let x = &mut s.vpc.subnets[i];
            match field {
                "az" => x.az = t.to_string(),
                "cidr" => x.cidr = text.to_string(),
                "public" => x.public = t == "true",
                "tags" => x.tags = parse_map(t)?,
                _ => {}
            }
        }
        List::NodeGroups => {
            let Some(g) = s.managed_node_groups.get_mut(i) else {
                return Ok(());
            };
            match field {
                "name" => g.name = t.to_string(),
                "instanceType" => g.instance_type = t.to_string(),
                "desiredCapacity" => g.desired_capacity = parse_count(t)?,
                "subnets" => g.subnets = parse_names(t),
                "labels" => g.labels = parse_map(t)?,
                "taints" => g.taints = parse_list(t, parse_taint)?,
                "maxPodsPerNode" => {
                    g.max_pods_per_node = if t.is_empty() {
                        None
                    } else {
                        Some(parse_number(t, "pods", 1_000)?)
                    }
                }
                _ => {}
            }
        }
        List::Workloads => {
            let Some(w) = s.workloads.get_mut(i) else {
                return Ok(());
            };
            let opt = || (!t.is_empty()).then(|| t.to_string());
            match field {
                "name" => w.name = t.to_string(),
                "namespace" => w.namespace = t.to_string(),
                "kind" => {
                    w.kind = if t == "DaemonSet" {
                        WorkloadKind::DaemonSet
                    } else {
                        WorkloadKind::Deployment
                    }
                }
                "replicas" => w.replicas = parse_number(t, "replicas", MAX_REPLICAS)?,
                "requests.cpu" => w.requests.cpu = opt(),
                "requests.memory" => w.requests.memory = opt(),
                "labels" => w.labels = parse_map(t)?,
                "nodeSelector" => w.node_selector = parse_map(t)?,
                "tolerations" => w.tolerations = parse_list(t, parse_toleration)?,
                "topologySpreadConstraints" => {
                    w.topology_spread_constraints = parse_list(t, parse_spread)?
                }
                "securityGroups" => w.security_groups = parse_names(t),
                "hostNetwork" => w.host_network = t == "true",
                "containerPort" => w.container_port = parse_port(t, "containerPort")?,
                _ => {}
            }
        }
        List::Services => {
            let Some(x) = s.services.get_mut(i) else {
                return Ok(());
            };
            if let Some(lb_field) = field.strip_prefix("loadBalancer.") {
                return set_lb(
                    x.load_balancer.get_or_insert_with(Default::default),
                    lb_field,
                    t,
                );
            }
            if field == "name" {
                let (namespace, old) = (
                    x.namespace.clone(),
                    std::mem::replace(&mut x.name, t.to_string()),
                );
                rename_service(s, &namespace, &old, t);
                return Ok(());
            }
            match field {
                "namespace" => x.namespace = t.to_string(),
                "type" => {
                    x.service_type = match t {
                        "NodePort" => ServiceType::NodePort,
                        "LoadBalancer" => ServiceType::LoadBalancer,
                        _ => ServiceType::ClusterIP,
                    };
                    // Only a LoadBalancer has a load balancer; only it and a NodePort an
                    // external policy.
                    if x.service_type != ServiceType::LoadBalancer {
                        x.load_balancer = None;
                    }
                    if x.service_type == ServiceType::ClusterIP {
                        x.external_traffic_policy = TrafficPolicy::Cluster;
                    }
                }
                "selector" => x.selector = parse_map(t)?,
                "ports" => x.ports = parse_list(t, parse_service_port)?,
                "externalTrafficPolicy" => x.external_traffic_policy = policy(t),
                "internalTrafficPolicy" => x.internal_traffic_policy = policy(t),
                _ => {}
            }
        }
        List::Ingresses => {
            let Some(x) = s.ingresses.get_mut(i) else {
                return Ok(());
            };
            if field == "name" {
                let (namespace, old) = (
                    x.namespace.clone(),
                    std::mem::replace(&mut x.name, t.to_string()),
                );
                rename_in_flows(s, &["ingress", "ing"], &namespace, &old, t);
                return Ok(());
            }
            match field {
                "namespace" => x.namespace = t.to_string(),
                "groupName" => x.group_name = (!t.is_empty()).then(|| t.to_string()),
                "scheme" => x.scheme = parse_scheme(t).unwrap_or_default(),
                "targetType" => x.target_type = target(t),
                "rules" => x.rules = parse_list(t, parse_rule)?,
                "subnets" => x.subnets = parse_names(t),
                _ => {}
            }
        }
        List::Flows => {
            let Some(f) = s.flows.get_mut(i) else {
                return Ok(());
            };
            match field {
                "from" => f.from = t.to_string(),
                "to" => f.to = t.to_string(),
                _ => {}
            }
        }
        List::SecurityGroups => {
            let Some(g) = s.security_groups.get_mut(i) else {
                return Ok(());
            };
            match field {
                "id" => g.id = t.to_string(),
                "ingress" => {
                    g.ingress = parse_list(t, |r| {
                        let (protocol, ports, from) = parse_rule_text(r, "from")?;
                        Ok(SecurityGroupIngress {
                            protocol,
                            ports,
                            from,
                        })
                    })?
                }
                "egress" => {
                    g.egress = match t {
                        "" => None,
                        "none" => Some(Vec::new()),
                        _ => Some(parse_list(t, |r| {
                            let (protocol, ports, to) = parse_rule_text(r, "to")?;
                            Ok(SecurityGroupEgress {
                                protocol,
                                ports,
                                to,
                            })
                        })?),
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn set_lb(lb: &mut LoadBalancerSpec, field: &str, t: &str) -> Result<(), String> {
    match field {
        "kind" => {
            lb.kind = if t == "clb" {
                LoadBalancerKind::Clb
            } else {
                LoadBalancerKind::Nlb
            }
        }
        "controller" => {
            lb.controller = match t {
                "aws-load-balancer-controller" => {
                    Some(LoadBalancerController::AwsLoadBalancerController)
                }
                "in-tree" => Some(LoadBalancerController::InTree),
                _ => None,
            }
        }
        "scheme" => lb.scheme = parse_scheme(t),
        "targetType" => lb.target_type = target(t),
        "crossZone" => lb.cross_zone = t == "true",
        "preserveClientIp" => {
            lb.preserve_client_ip = match t {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }
        }
        "subnets" => lb.subnets = parse_names(t),
        _ => {}
    }
    Ok(())
}

/// Renames subnet `old` and every reference to it: node groups, control plane subnets,
/// ENIConfigs, load balancer and Ingress subnets.
pub fn rename_subnet(s: &mut Scenario, old: &str, new: &str) {
    let swap = |names: &mut Vec<String>| {
        for n in names.iter_mut().filter(|n| n.as_str() == old) {
            *n = new.to_string();
        }
    };
    for x in s.vpc.subnets.iter_mut().filter(|x| x.name == old) {
        x.name = new.to_string();
    }
    for_each_reference(s, swap);
    for v in s.cluster.vpc_cni.custom_networking.values_mut() {
        if v == old {
            *v = new.to_string();
        }
    }
}

/// After Service `namespace/old` was renamed `new`: the flows that go to it and the rules of
/// the Ingresses in its namespace that send to it follow, as a subnet's references do.
fn rename_service(s: &mut Scenario, namespace: &str, old: &str, new: &str) {
    for ing in s.ingresses.iter_mut().filter(|i| i.namespace == namespace) {
        for rule in ing.rules.iter_mut().filter(|r| r.service == old) {
            rule.service = new.to_string();
        }
    }
    rename_in_flows(s, &["service", "svc"], namespace, old, new);
}

/// Flow ends `kind/old` (in `default`) or `kind/namespace/old` for one of `kinds`, renamed.
fn rename_in_flows(s: &mut Scenario, kinds: &[&str], namespace: &str, old: &str, new: &str) {
    let rename = |place: &mut String| {
        let Some((kind, rest)) = place.split_once('/') else {
            return;
        };
        if !kinds.contains(&kind) {
            return;
        }
        let renamed = match rest.split_once('/') {
            Some((ns, name)) if ns == namespace && name == old => format!("{kind}/{ns}/{new}"),
            None if namespace == "default" && rest == old => format!("{kind}/{new}"),
            _ => return,
        };
        *place = renamed;
    };
    for flow in &mut s.flows {
        rename(&mut flow.from);
        rename(&mut flow.to);
    }
}

/// Every list of subnet names in the document.
fn for_each_reference(s: &mut Scenario, mut f: impl FnMut(&mut Vec<String>)) {
    for g in &mut s.managed_node_groups {
        f(&mut g.subnets);
    }
    f(&mut s.cluster.control_plane_subnets);
    for svc in &mut s.services {
        if let Some(lb) = &mut svc.load_balancer {
            f(&mut lb.subnets);
        }
    }
    for ing in &mut s.ingresses {
        f(&mut ing.subnets);
    }
}

/// `base`, else `base-2`, `base-3`, … the first that `taken` refuses.
pub fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|name| !taken(name))
        .expect("some number is free")
}

/// Adds a new item with working defaults and returns its index. Subnets and workloads have
/// forms of their own (`Edit::AddSubnet`, `Edit::AddWorkload`); here they get a default.
pub fn add(s: &mut Scenario, list: List) -> usize {
    match list {
        List::Subnets => {
            let az = s
                .vpc
                .subnets
                .first()
                .map_or_else(|| "us-east-1a".to_string(), |x| x.az.clone());
            let name = unique("subnet", |n| s.vpc.subnets.iter().any(|x| x.name == n));
            let mut cidrs = vec![s.vpc.cidr.clone()];
            cidrs.extend(s.vpc.secondary_cidrs.iter().cloned());
            let taken: Vec<String> = s.vpc.subnets.iter().map(|x| x.cidr.clone()).collect();
            let cidr = suggest_subnet_cidr(&cidrs, &taken, 24)
                .map(|c| c.to_string())
                .unwrap_or_default();
            s.vpc.subnets.push(crate::scenario::Subnet {
                name,
                az,
                cidr,
                public: false,
                tags: BTreeMap::new(),
            });
        }
        List::NodeGroups => {
            // `ng-2` after `ng-1`: nodes are `<group>-<n>`, so a bare `ng` would make `ng-1`.
            let name = (s.managed_node_groups.len() + 1..)
                .map(|n| format!("ng-{n}"))
                .find(|n| !s.managed_node_groups.iter().any(|g| g.name == *n))
                .expect("some number is free");
            let like = s.managed_node_groups.first();
            let subnets = like.map_or_else(
                || {
                    s.vpc
                        .subnets
                        .iter()
                        .filter(|x| !x.public)
                        .map(|x| x.name.clone())
                        .collect()
                },
                |g| g.subnets.clone(),
            );
            let instance_type =
                like.map_or_else(|| "m5.large".to_string(), |g| g.instance_type.clone());
            s.managed_node_groups.push(NodeGroup {
                name,
                instance_type,
                desired_capacity: 2,
                subnets,
                labels: BTreeMap::new(),
                taints: Vec::new(),
                max_pods_per_node: None,
            });
        }
        List::Workloads => {
            let name = unique("app", |n| s.workloads.iter().any(|w| w.name == n));
            s.workloads.push(
                crate::ui::workspace::workload_from(
                    &crate::ui::workspace::NewWorkload {
                        name,
                        ..Default::default()
                    },
                    &s.workloads,
                )
                .expect("a unique name and default values"),
            );
        }
        List::Services => {
            // Selecting the first workload no Service has taken yet, on its container port.
            let free = s
                .workloads
                .iter()
                .find(|w| !s.services.iter().any(|x| x.name == w.name));
            let base = free.map_or("service", |w| w.name.as_str());
            let name = unique(base, |n| s.services.iter().any(|x| x.name == n));
            let (selector, target) = match free {
                Some(w) if w.labels.is_empty() => (label_map("app", &w.name), w.container_port),
                Some(w) => (w.labels.clone(), w.container_port),
                None => (label_map("app", &name), 8080),
            };
            s.services.push(Service {
                name,
                namespace: "default".into(),
                selector,
                service_type: ServiceType::ClusterIP,
                ports: vec![ServicePort {
                    name: None,
                    port: 80,
                    target_port: Some(target),
                    protocol: Protocol::TCP,
                    node_port: None,
                }],
                external_traffic_policy: TrafficPolicy::Cluster,
                internal_traffic_policy: TrafficPolicy::Cluster,
                load_balancer: None,
            });
        }
        List::Ingresses => {
            let name = unique("ingress", |n| s.ingresses.iter().any(|x| x.name == n));
            let rules = s
                .services
                .first()
                .map(|svc| IngressRule {
                    host: None,
                    path: "/".into(),
                    service: svc.name.clone(),
                    port: svc.ports.first().map_or(80, |p| p.port),
                })
                .into_iter()
                .collect();
            s.ingresses.push(Ingress {
                name,
                namespace: "default".into(),
                group_name: None,
                scheme: Scheme::InternetFacing,
                target_type: TargetType::Ip,
                rules,
                subnets: Vec::new(),
            });
        }
        List::Flows => {
            let flow = match s.services.first() {
                Some(svc) => Flow {
                    from: "internet".into(),
                    to: format!("service/{}", svc.name),
                },
                None => Flow {
                    from: "kubectl".into(),
                    to: "apiserver".into(),
                },
            };
            s.flows.push(flow);
        }
        List::SecurityGroups => {
            let id = (1u32..)
                .map(|n| format!("sg-{n:08x}"))
                .find(|id| !s.security_groups.iter().any(|g| &g.id == id))
                .expect("some id is free");
            s.security_groups.push(SecurityGroup {
                id,
                ingress: vec![SecurityGroupIngress {
                    protocol: RuleProtocol::Tcp,
                    ports: "443".into(),
                    from: s.vpc.cidr.clone(),
                }],
                egress: None,
            });
        }
    }
    list.len(s) - 1
}

/// Appends a copy of item `i` under a new name (a subnet also gets the next free block of its
/// size); returns the copy's index, `None` when there is no item `i`.
pub fn duplicate(s: &mut Scenario, list: List, i: usize) -> Option<usize> {
    if i >= list.len(s) {
        return None;
    }
    match list {
        List::Subnets => {
            let mut x = s.vpc.subnets[i].clone();
            x.name = unique(&format!("{}-copy", x.name), |n| {
                s.vpc.subnets.iter().any(|y| y.name == n)
            });
            let prefix = crate::model::aws::vpc::parse_cidr(&x.cidr).map_or(24, |n| n.prefix_len());
            let mut cidrs = vec![s.vpc.cidr.clone()];
            cidrs.extend(s.vpc.secondary_cidrs.iter().cloned());
            let taken: Vec<String> = s.vpc.subnets.iter().map(|y| y.cidr.clone()).collect();
            if let Ok(c) = suggest_subnet_cidr(&cidrs, &taken, prefix) {
                x.cidr = c.to_string();
            }
            s.vpc.subnets.push(x);
        }
        List::NodeGroups => {
            let mut g = s.managed_node_groups[i].clone();
            g.name = unique(&format!("{}-copy", g.name), |n| {
                s.managed_node_groups.iter().any(|y| y.name == n)
            });
            s.managed_node_groups.push(g);
        }
        List::Workloads => {
            let mut w = s.workloads[i].clone();
            w.name = unique(&format!("{}-copy", w.name), |n| {
                s.workloads.iter().any(|y| y.name == n)
            });
            // Its own pods: `app: <name>` when its labels were the default.
            s.workloads.push(w);
        }
        List::Services => {
            let mut x = s.services[i].clone();
            x.name = unique(&format!("{}-copy", x.name), |n| {
                s.services.iter().any(|y| y.name == n)
            });
            for p in &mut x.ports {
                p.node_port = None;
            }
            s.services.push(x);
        }
        List::Ingresses => {
            let mut x = s.ingresses[i].clone();
            x.name = unique(&format!("{}-copy", x.name), |n| {
                s.ingresses.iter().any(|y| y.name == n)
            });
            s.ingresses.push(x);
        }
        List::Flows => {
            let f = s.flows[i].clone();
            s.flows.push(f);
        }
        List::SecurityGroups => {
            let mut g = s.security_groups[i].clone();
            g.id = (1u32..)
                .map(|n| format!("sg-{n:08x}"))
                .find(|id| !s.security_groups.iter().any(|y| &y.id == id))
                .expect("some id is free");
            s.security_groups.push(g);
        }
    }
    Some(list.len(s) - 1)
}

/// Removes item `i`; a removed subnet leaves the lists that named it too.
pub fn remove(s: &mut Scenario, list: List, i: usize) -> bool {
    if i >= list.len(s) {
        return false;
    }
    match list {
        List::Subnets => {
            let x = s.vpc.subnets.remove(i);
            for_each_reference(s, |names| names.retain(|n| *n != x.name));
            s.cluster
                .vpc_cni
                .custom_networking
                .retain(|_, v| *v != x.name);
        }
        List::NodeGroups => {
            let g = s.managed_node_groups.remove(i);
            // Node states name nodes `<group>-<n>`.
            let prefix = format!("{}-", g.name);
            s.node_states.retain(|node, _| {
                !(node.starts_with(&prefix)
                    && node[prefix.len()..].chars().all(|c| c.is_ascii_digit()))
            });
        }
        List::Workloads => {
            s.workloads.remove(i);
        }
        List::Services => {
            s.services.remove(i);
        }
        List::Ingresses => {
            s.ingresses.remove(i);
        }
        List::Flows => {
            s.flows.remove(i);
        }
        List::SecurityGroups => {
            s.security_groups.remove(i);
        }
    }
    true
}

// ---- Texts of the structured fields ----

fn map_text(m: &BTreeMap<String, String>) -> String {
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn parse_map(t: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for part in t.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("`{}` is not key=value", part.escape_default()))?;
        let k = k.trim();
        if k.is_empty() {
            return Err(format!("`{}` has no key before =", part.escape_default()));
        }
        out.insert(k.to_string(), v.trim().to_string());
    }
    Ok(out)
}

fn parse_names(t: &str) -> Vec<String> {
    t.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from)
        .collect()
}

fn parse_list<T>(t: &str, one: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    t.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(one)
        .collect()
}

fn effect(t: &str) -> Result<TaintEffect, String> {
    match t.trim() {
        "NoSchedule" => Ok(TaintEffect::NoSchedule),
        "PreferNoSchedule" => Ok(TaintEffect::PreferNoSchedule),
        "NoExecute" => Ok(TaintEffect::NoExecute),
        other => Err(format!(
            "`{}` is not a taint effect: {EFFECTS}",
            other.escape_default()
        )),
    }
}

fn taint_text(t: &Taint) -> String {
    if t.value.is_empty() {
        format!("{}:{:?}", t.key, t.effect)
    } else {
        format!("{}={}:{:?}", t.key, t.value, t.effect)
    }
}

fn parse_taint(p: &str) -> Result<Taint, String> {
    let (kv, e) = p.rsplit_once(':').ok_or_else(|| {
        format!(
            "`{}` needs an effect: key=value:NoSchedule",
            p.escape_default()
        )
    })?;
    let (key, value) = kv.split_once('=').unwrap_or((kv, ""));
    Ok(Taint {
        key: key.trim().to_string(),
        value: value.trim().to_string(),
        effect: effect(e)?,
    })
}

fn toleration_text(t: &Toleration) -> String {
    let mut out = t.key.clone().unwrap_or_else(|| "*".into());
    if t.operator == TolerationOperator::Equal {
        out.push('=');
        out.push_str(t.value.as_deref().unwrap_or(""));
    }
    if let Some(e) = t.effect {
        out.push_str(&format!(":{e:?}"));
    }
    out
}

fn parse_toleration(p: &str) -> Result<Toleration, String> {
    let (kv, e) = match p.rsplit_once(':') {
        Some((kv, e)) => (kv, Some(effect(e)?)),
        None => (p, None),
    };
    let (key, operator, value) = match kv.split_once('=') {
        Some((k, v)) => (
            k.trim(),
            TolerationOperator::Equal,
            Some(v.trim().to_string()),
        ),
        None => (kv.trim(), TolerationOperator::Exists, None),
    };
    Ok(Toleration {
        key: (key != "*" && !key.is_empty()).then(|| key.to_string()),
        operator,
        value,
        effect: e,
    })
}

const ZONE: &str = "topology.kubernetes.io/zone";
const HOSTNAME: &str = "kubernetes.io/hostname";

fn spread_text(c: &TopologySpreadConstraint) -> String {
    let mut out = match c.topology_key.as_str() {
        ZONE => "zone".to_string(),
        HOSTNAME => "hostname".to_string(),
        k => k.to_string(),
    };
    out.push_str(&format!(":{}", c.max_skew));
    if c.when_unsatisfiable == WhenUnsatisfiable::ScheduleAnyway {
        out.push_str(":ScheduleAnyway");
    }
    out
}

fn parse_spread(p: &str) -> Result<TopologySpreadConstraint, String> {
    let mut parts = p.split(':').map(str::trim);
    let key = match parts.next().unwrap_or("") {
        "zone" => ZONE.to_string(),
        "hostname" => HOSTNAME.to_string(),
        "" => return Err("a spread constraint needs a topology key: zone or hostname".into()),
        k => k.to_string(),
    };
    let mut c = TopologySpreadConstraint {
        max_skew: 1,
        topology_key: key,
        when_unsatisfiable: WhenUnsatisfiable::DoNotSchedule,
    };
    for part in parts {
        match part {
            "ScheduleAnyway" => c.when_unsatisfiable = WhenUnsatisfiable::ScheduleAnyway,
            "DoNotSchedule" => c.when_unsatisfiable = WhenUnsatisfiable::DoNotSchedule,
            n => {
                c.max_skew = n.parse().map_err(|_| {
                    format!(
                        "`{}` is neither a maxSkew nor DoNotSchedule / ScheduleAnyway",
                        n.escape_default()
                    )
                })?
            }
        }
    }
    Ok(c)
}

fn parse_port(t: &str, what: &str) -> Result<u16, String> {
    match t.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(format!(
            "{what}: `{}` is not a port (1 to 65535)",
            t.trim().escape_default()
        )),
    }
}

fn port_text(p: &ServicePort) -> String {
    let mut out = p.name.as_ref().map(|n| format!("{n}=")).unwrap_or_default();
    out.push_str(&p.port.to_string());
    if let Some(t) = p.target_port {
        out.push_str(&format!(":{t}"));
    }
    if p.protocol == Protocol::UDP {
        out.push_str("/UDP");
    }
    if let Some(n) = p.node_port {
        out.push_str(&format!("@{n}"));
    }
    out
}

fn parse_service_port(p: &str) -> Result<ServicePort, String> {
    let (name, rest) = match p.split_once('=') {
        Some((n, r)) => (Some(n.trim().to_string()), r.trim()),
        None => (None, p),
    };
    let (rest, node_port) = match rest.split_once('@') {
        Some((r, n)) => (r, Some(parse_port(n, "nodePort")?)),
        None => (rest, None),
    };
    let (rest, protocol) = match rest.split_once('/') {
        Some((r, proto)) => match proto.trim().to_ascii_uppercase().as_str() {
            "TCP" => (r, Protocol::TCP),
            "UDP" => (r, Protocol::UDP),
            other => return Err(format!("`{}` is not TCP or UDP", other.escape_default())),
        },
        None => (rest, Protocol::TCP),
    };
    let (port, target) = match rest.split_once(':') {
        Some((a, b)) => (parse_port(a, "port")?, Some(parse_port(b, "targetPort")?)),
        None => (parse_port(rest, "port")?, None),
    };
    Ok(ServicePort {
        name,
        port,
        target_port: target,
        protocol,
        node_port,
    })
}

fn policy(t: &str) -> TrafficPolicy {
    if t == "Local" {
        TrafficPolicy::Local
    } else {
        TrafficPolicy::Cluster
    }
}

fn scheme_text(s: Scheme) -> &'static str {
    match s {
        Scheme::Internal => "internal",
        Scheme::InternetFacing => "internet-facing",
    }
}

fn parse_scheme(t: &str) -> Option<Scheme> {
    match t {
        "internal" => Some(Scheme::Internal),
        "internet-facing" => Some(Scheme::InternetFacing),
        _ => None,
    }
}

fn target_text(t: TargetType) -> &'static str {
    match t {
        TargetType::Instance => "instance",
        TargetType::Ip => "ip",
    }
}

fn target(t: &str) -> TargetType {
    if t == "ip" {
        TargetType::Ip
    } else {
        TargetType::Instance
    }
}

fn rule_text(r: &IngressRule) -> String {
    format!(
        "{}{} -> {}:{}",
        r.host.as_deref().unwrap_or(""),
        r.path,
        r.service,
        r.port
    )
}

fn parse_rule(p: &str) -> Result<IngressRule, String> {
    let (left, right) = match p.split_once("->") {
        Some((l, r)) => (l.trim(), r.trim()),
        None => ("/", p.trim()),
    };
    let (service, port) = right.rsplit_once(':').ok_or_else(|| {
        format!(
            "`{}` needs a backend: host/path -> service:port",
            p.escape_default()
        )
    })?;
    let (host, path) = match left.find('/') {
        Some(0) => (None, left.to_string()),
        Some(at) => (Some(left[..at].to_string()), left[at..].to_string()),
        None if left.is_empty() => (None, "/".to_string()),
        None => (Some(left.to_string()), "/".to_string()),
    };
    Ok(IngressRule {
        host,
        path,
        service: service.trim().to_string(),
        port: parse_port(port, "the backend port")?,
    })
}

fn protocol_text(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "tcp",
        RuleProtocol::Udp => "udp",
        RuleProtocol::All => "all",
    }
}

/// `tcp 5432 from sg-0123abcd`, `all from 10.0.0.0/16`: (protocol, ports, peer); `word` is
/// `from` or `to`.
fn parse_rule_text(r: &str, word: &str) -> Result<(RuleProtocol, String, String), String> {
    let tokens: Vec<&str> = r.split_whitespace().collect();
    let at = tokens.iter().position(|t| *t == word).ok_or_else(|| {
        format!(
            "`{}` needs `{word}`: tcp 443 {word} 10.0.0.0/16",
            r.escape_default()
        )
    })?;
    let peer = tokens[at + 1..].join(" ");
    if peer.is_empty() {
        return Err(format!(
            "`{}` names nothing after `{word}`",
            r.escape_default()
        ));
    }
    let protocol = match tokens.first().copied() {
        Some("tcp") => RuleProtocol::Tcp,
        Some("udp") => RuleProtocol::Udp,
        Some("all") | Some("-1") => RuleProtocol::All,
        Some(other) if at > 0 => {
            return Err(format!(
                "`{}` is not a protocol: tcp, udp or all",
                other.escape_default()
            ))
        }
        _ => {
            return Err(format!(
                "`{}` needs a protocol: tcp, udp or all",
                r.escape_default()
            ))
        }
    };
    let ports = match at {
        1 => "all".to_string(),
        2 => tokens[1].to_string(),
        _ => {
            return Err(format!(
                "`{}`: write protocol, ports, then {word}",
                r.escape_default()
            ))
        }
    };
    Ok((protocol, ports, peer))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;
    use crate::scenario::default_scenario;

    #[test]
    fn renaming_a_service_or_an_ingress_follows_into_flows_and_rules() {
        let mut s = crate::scenario::from_json(include_str!(
            "../../../static/scenarios/gallery/ingress-groups.json"
        ))
        .unwrap();
        let i = s
            .services
            .iter()
            .position(|x| x.name == s.ingresses[0].rules[0].service)
            .unwrap();
        let old = s.services[i].name.clone();
        s.flows.push(crate::scenario::Flow {
            from: "internet".into(),
            to: format!("service/{old}"),
        });
        let pod = format!("pod/{}", s.workloads[0].name);
        s.flows.push(crate::scenario::Flow {
            from: pod,
            to: format!("svc/default/{old}"),
        });
        s.flows.push(crate::scenario::Flow {
            from: "internet".into(),
            to: format!("service/other/{old}"),
        });
        set(&mut s, List::Services, i, "name", "renamed").unwrap();
        assert_eq!(s.services[i].name, "renamed");
        assert!(s
            .ingresses
            .iter()
            .flat_map(|g| &g.rules)
            .all(|r| r.service != old));
        assert!(s.ingresses[0].rules.iter().any(|r| r.service == "renamed"));
        let n = s.flows.len();
        assert_eq!(s.flows[n - 3].to, "service/renamed");
        assert_eq!(s.flows[n - 2].to, "svc/default/renamed");
        assert_eq!(
            s.flows[n - 1].to,
            format!("service/other/{old}"),
            "another namespace's Service"
        );
        s.flows.pop();
        let built = crate::model::build(&s);
        assert!(built.is_ok(), "still builds: {:?}", built.err());

        let ing = s.ingresses[0].name.clone();
        s.flows.push(crate::scenario::Flow {
            from: "internet".into(),
            to: format!("ingress/{ing}"),
        });
        set(&mut s, List::Ingresses, 0, "name", "front").unwrap();
        assert_eq!(s.flows.last().unwrap().to, "ingress/front");
    }

    #[test]
    fn every_field_reads_back_what_it_was_set_to() {
        let mut s = default_scenario();
        let w = add(&mut s, List::Workloads);
        let svc = add(&mut s, List::Services);
        let ing = add(&mut s, List::Ingresses);
        let sg = add(&mut s, List::SecurityGroups);
        let cases: &[(List, usize, &str, &str)] = &[
            (List::Subnets, 0, "tags", "kubernetes.io/role/elb=1"),
            (
                List::NodeGroups,
                0,
                "taints",
                "dedicated=gpu:NoSchedule, spot:NoExecute",
            ),
            (List::NodeGroups, 0, "labels", "role=web, tier=front"),
            (List::NodeGroups, 0, "maxPodsPerNode", "58"),
            (
                List::Workloads,
                w,
                "tolerations",
                "dedicated=gpu:NoSchedule, spot:NoExecute, *",
            ),
            (
                List::Workloads,
                w,
                "topologySpreadConstraints",
                "zone:1, hostname:2:ScheduleAnyway",
            ),
            (List::Workloads, w, "requests.cpu", "500m"),
            (List::Workloads, w, "kind", "DaemonSet"),
            (
                List::Services,
                svc,
                "ports",
                "http=80:8080, 53:53/UDP@30053",
            ),
            (List::Services, svc, "selector", "app=app"),
            (List::Services, svc, "type", "LoadBalancer"),
            (
                List::Services,
                svc,
                "loadBalancer.scheme",
                "internet-facing",
            ),
            (List::Services, svc, "loadBalancer.targetType", "ip"),
            (List::Services, svc, "loadBalancer.crossZone", "true"),
            (
                List::Ingresses,
                ing,
                "rules",
                "example.com/api -> app:80, / -> app:80",
            ),
            (
                List::SecurityGroups,
                sg,
                "ingress",
                "tcp 5432 from sg-0123abcd, all all from 10.0.0.0/16",
            ),
            (List::SecurityGroups, sg, "egress", "none"),
            (List::SecurityGroups, sg, "egress", "tcp 443 to 0.0.0.0/0"),
        ];
        for &(list, i, f, text) in cases {
            set(&mut s, list, i, f, text).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(get(&s, list, i, f), text, "{list:?}.{f}");
        }
    }

    #[test]
    fn text_that_is_not_the_field_says_why() {
        let mut s = default_scenario();
        let svc = add(&mut s, List::Services);
        let sg = add(&mut s, List::SecurityGroups);
        let before = s.clone();
        for (list, i, f, text, says) in [
            (
                List::Services,
                svc,
                "ports",
                "80:http",
                "targetPort: `http` is not a port",
            ),
            (
                List::Services,
                svc,
                "selector",
                "app",
                "`app` is not key=value",
            ),
            (List::NodeGroups, 0, "taints", "gpu=true", "needs an effect"),
            (
                List::NodeGroups,
                0,
                "taints",
                "gpu=true:Never",
                "not a taint effect",
            ),
            (
                List::NodeGroups,
                0,
                "desiredCapacity",
                "lots",
                "not a whole number",
            ),
            (
                List::SecurityGroups,
                sg,
                "ingress",
                "tcp 80",
                "needs `from`",
            ),
        ] {
            let mut copy = s.clone();
            let e = set(&mut copy, list, i, f, text).unwrap_err();
            assert!(e.contains(says), "{f}: {e}");
        }
        assert_eq!(s, before);
    }

    #[test]
    fn added_items_build() {
        let mut s = default_scenario();
        for list in List::ALL {
            add(&mut s, list);
        }
        // The new Service selects the new workload; make it a LoadBalancer with ETP Local.
        let svc = s.services.len() - 1;
        set(&mut s, List::Services, svc, "type", "LoadBalancer").unwrap();
        set(
            &mut s,
            List::Services,
            svc,
            "externalTrafficPolicy",
            "Local",
        )
        .unwrap();
        set(
            &mut s,
            List::Services,
            svc,
            "loadBalancer.scheme",
            "internet-facing",
        )
        .unwrap();
        let c = build(&s).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(c.nodes.len(), 3 + 2, "the new node group's two nodes");
        assert_eq!(s.managed_node_groups[1].name, "ng-2");
        assert!(c.nodes.iter().any(|n| n.name == "ng-2-1"));
        assert_eq!(
            c.load_balancers.len(),
            2,
            "the Service's NLB and the Ingress's ALB"
        );
        assert!(c
            .subnets
            .iter()
            .any(|x| x.name == "subnet" && x.cidr.to_string() == "10.0.3.0/24"));
    }

    #[test]
    fn duplicates_get_new_names_and_free_blocks() {
        let mut s = default_scenario();
        let i = duplicate(&mut s, List::Subnets, 3).unwrap();
        assert_eq!(s.vpc.subnets[i].name, "private-a-copy");
        assert_eq!(s.vpc.subnets[i].cidr, "10.0.64.0/20");
        let g = duplicate(&mut s, List::NodeGroups, 0).unwrap();
        assert_eq!(s.managed_node_groups[g].name, "ng-1-copy");
        assert!(build(&s).is_ok());
        assert_eq!(duplicate(&mut s, List::Flows, 7), None);
    }

    #[test]
    fn renaming_and_removing_a_subnet_follows_its_references() {
        let mut s = default_scenario();
        set(&mut s, List::Subnets, 3, "name", "nodes-a").unwrap();
        assert_eq!(s.managed_node_groups[0].subnets[0], "nodes-a");
        assert_eq!(s.cluster.control_plane_subnets[0], "nodes-a");
        assert!(build(&s).is_ok());
        assert!(remove(&mut s, List::Subnets, 5));
        assert_eq!(s.managed_node_groups[0].subnets, ["nodes-a", "private-b"]);
        assert!(build(&s).is_ok());
        assert!(!remove(&mut s, List::Subnets, 99));
    }

    #[test]
    fn service_types_drop_what_they_do_not_have() {
        let mut s = default_scenario();
        let i = add(&mut s, List::Services);
        set(&mut s, List::Services, i, "type", "LoadBalancer").unwrap();
        set(&mut s, List::Services, i, "loadBalancer.kind", "clb").unwrap();
        set(&mut s, List::Services, i, "externalTrafficPolicy", "Local").unwrap();
        assert!(applies(&s, List::Services, i, "loadBalancer.scheme"));
        set(&mut s, List::Services, i, "type", "ClusterIP").unwrap();
        assert_eq!(s.services[i].load_balancer, None);
        assert_eq!(
            s.services[i].external_traffic_policy,
            TrafficPolicy::Cluster
        );
        assert!(!applies(&s, List::Services, i, "loadBalancer.scheme"));
        assert!(!applies(&s, List::Services, i, "externalTrafficPolicy"));
    }
}
