//! The page's document state: the scenario being edited, its problems, and the last valid
//! cluster with its scene (what the diagram shows while the draft is invalid).
//!
//! A [`Reducible`] so every edit goes through one place: apply, build, lay out only when
//! something the layout reads changed (`reuse.rs`). Pure: tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::layout::Scene;
use crate::model::aws::cidr_plan::renumber_subnets;
use crate::model::aws::vpc::parse_cidr;
use crate::model::{Cluster, Groundwork, Last};
use crate::scenario::{
    EnforcingMode, IpFamily, NatGatewayMode, Path, Problem, Requests, Scenario, Subnet, Workload,
    WorkloadKind,
};
use crate::ui::list_edit::{self, List};
use crate::ui::reuse::next_built;

/// The largest node count the editor offers (the model's limit too).
pub const MAX_NODES: u32 = 5_000;
/// The largest replica count the editor takes for one workload.
pub const MAX_REPLICAS: u32 = 100_000;

/// The secondary CIDR custom networking is set up in (the EKS guide's example).
pub const POD_CIDR: &str = "100.64.0.0/16";

/// A VPC CNI switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CniFlag {
    /// ENABLE_PREFIX_DELEGATION.
    PrefixDelegation,
    /// AWS_VPC_K8S_CNI_EXTERNALSNAT.
    ExternalSnat,
    /// ENABLE_POD_ENI.
    PodEni,
}

impl CniFlag {
    /// The scenario path of the switch.
    pub fn path(self) -> &'static str {
        match self {
            CniFlag::PrefixDelegation => "cluster.vpcCni.prefixDelegation",
            CniFlag::ExternalSnat => "cluster.vpcCni.externalSnat",
            CniFlag::PodEni => "cluster.vpcCni.podEni",
        }
    }
}

/// A warm-pool target of the VPC CNI: a whole number or unset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarmField {
    WarmEni,
    WarmIp,
    MinimumIp,
    WarmPrefix,
}

impl WarmField {
    pub const ALL: [WarmField; 4] = [
        WarmField::WarmEni,
        WarmField::WarmIp,
        WarmField::MinimumIp,
        WarmField::WarmPrefix,
    ];

    pub fn path(self) -> &'static str {
        match self {
            WarmField::WarmEni => "cluster.vpcCni.warmEniTarget",
            WarmField::WarmIp => "cluster.vpcCni.warmIpTarget",
            WarmField::MinimumIp => "cluster.vpcCni.minimumIpTarget",
            WarmField::WarmPrefix => "cluster.vpcCni.warmPrefixTarget",
        }
    }

    /// The aws-node environment variable.
    pub fn env(self) -> &'static str {
        match self {
            WarmField::WarmEni => "WARM_ENI_TARGET",
            WarmField::WarmIp => "WARM_IP_TARGET",
            WarmField::MinimumIp => "MINIMUM_IP_TARGET",
            WarmField::WarmPrefix => "WARM_PREFIX_TARGET",
        }
    }

    pub fn get(self, s: &Scenario) -> Option<u32> {
        let c = &s.cluster.vpc_cni;
        match self {
            WarmField::WarmEni => c.warm_eni_target,
            WarmField::WarmIp => c.warm_ip_target,
            WarmField::MinimumIp => c.minimum_ip_target,
            WarmField::WarmPrefix => c.warm_prefix_target,
        }
    }

    fn slot(self, s: &mut Scenario) -> &mut Option<u32> {
        let c = &mut s.cluster.vpc_cni;
        match self {
            WarmField::WarmEni => &mut c.warm_eni_target,
            WarmField::WarmIp => &mut c.warm_ip_target,
            WarmField::MinimumIp => &mut c.minimum_ip_target,
            WarmField::WarmPrefix => &mut c.warm_prefix_target,
        }
    }
}

/// A Deployment or DaemonSet to add, as typed in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkload {
    pub name: String,
    pub kind: WorkloadKind,
    pub replicas: String,
    pub cpu: String,
    pub memory: String,
    /// Security group ids, comma-separated: its pods get branch ENIs when podEni is on.
    pub security_groups: String,
}

impl Default for NewWorkload {
    /// Real requests, not placeholders: a Deployment added as it comes asks for 250m of CPU
    /// and 256Mi of memory, so the scheduler has something to fit (empty the fields for none).
    fn default() -> Self {
        NewWorkload {
            name: String::new(),
            kind: WorkloadKind::Deployment,
            replicas: "1".into(),
            cpu: "250m".into(),
            memory: "256Mi".into(),
            security_groups: String::new(),
        }
    }
}

/// One change the user makes in the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    VpcCidr(String),
    NatGateways(NatGatewayMode),
    /// Subnet index, CIDR text.
    SubnetCidr(usize, String),
    SubnetPublic(usize, bool),
    /// Node group index, type name.
    InstanceType(usize, String),
    /// Node group index, the text of the number field.
    DesiredCapacity(usize, String),
    CniFlag(CniFlag, bool),
    /// The text of a warm-target field: empty = unset.
    Warm(WarmField, String),
    EnforcingMode(EnforcingMode),
    CniVersion(String),
    IpFamily(IpFamily),
    /// On: an ENIConfig subnet per AZ, set up in [`POD_CIDR`] when the VPC has none. Off: no
    /// ENIConfig (the subnets stay).
    CustomNetworking(bool),
    /// AZ, subnet name of its ENIConfig.
    EniConfig(String, String),
    EndpointPublic(bool),
    EndpointPrivate(bool),
    /// publicAccessCIDRs, comma-separated.
    PublicAccessCidrs(String),
    AddWorkload(NewWorkload),
    /// Workload index, the text of the replicas field.
    Replicas(usize, String),
    RemoveWorkload(usize),
    /// A subnet from the add form (its CIDR the suggested free block or the user's).
    AddSubnet(Subnet),
    /// A new item with working defaults (`list_edit::add`).
    AddItem(List),
    DuplicateItem(List, usize),
    RemoveItem(List, usize),
    /// List, item index, field below the item (`loadBalancer.scheme`), the field's text.
    ItemField(List, usize, &'static str, String),
    /// The subnets inside the first CIDR moved into the second (`cidr_plan::renumber_subnets`).
    RenumberSubnets(String, String),
    /// A whole new document (a preset, a link).
    Replace(Box<Scenario>),
}

/// The text of a field the document cannot hold (a node count of `abc`), with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawInput {
    pub text: String,
    pub message: String,
}

/// A cluster built from a valid scenario, and its picture. Each `Rc` is new only when its
/// value changed (`reuse.rs`), so components holding it compare it by identity.
#[derive(Debug, Clone)]
pub struct Built {
    pub cluster: Rc<Cluster>,
    pub scene: Rc<Scene>,
    /// The scenario `cluster` was built from and the cluster's groundwork: where the next
    /// build may start ([`crate::model::build_after`]).
    pub scenario: Rc<Scenario>,
    pub groundwork: Rc<Groundwork>,
}

impl Built {
    /// The same cluster and scene `Rc`s: what props compare, without comparing the values.
    pub fn is(&self, other: &Built) -> bool {
        Rc::ptr_eq(&self.cluster, &other.cluster) && Rc::ptr_eq(&self.scene, &other.scene)
    }

    /// This build, for the next to start from.
    pub fn last(&self) -> Last<'_> {
        Last {
            scenario: &self.scenario,
            cluster: &self.cluster,
            groundwork: &self.groundwork,
        }
    }
}

/// Equal when they draw the same: the cluster and the scene (the scenario and the
/// groundwork are only where the next build starts).
impl PartialEq for Built {
    fn eq(&self, other: &Built) -> bool {
        self.cluster == other.cluster && self.scene == other.scene
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The scenario as edited, valid or not.
    pub draft: Rc<Scenario>,
    /// Field path → text not (yet) in the draft.
    pub raw: Rc<BTreeMap<String, RawInput>>,
    /// Everything wrong with the draft: field texts first, then the model's findings.
    pub problems: Rc<Vec<Problem>>,
    /// The last valid cluster; `None` only if no scenario so far was valid.
    pub built: Option<Built>,
}

impl Workspace {
    pub fn new(scenario: Scenario) -> Workspace {
        let mut ws = Workspace {
            draft: Rc::new(scenario),
            raw: Rc::default(),
            problems: Rc::default(),
            built: None,
        };
        ws.rebuild();
        ws
    }

    /// `draft` over the picture of `last_good`: how saved work that does not build opens,
    /// showing the last cluster that did while the problems are fixed.
    pub fn over(last_good: Scenario, draft: Scenario) -> Workspace {
        let mut ws = Workspace::new(last_good);
        if ws.apply(Edit::Replace(Box::new(draft))) {
            ws.rebuild();
        }
        ws
    }

    /// The diagram shows the draft (no problems).
    pub fn is_current(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems at exactly this field path.
    pub fn problems_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems
            .iter()
            .filter(move |p| p.path.as_str() == path)
    }

    fn rebuild(&mut self) {
        let mut problems: Vec<Problem> = self
            .raw
            .iter()
            .map(|(path, raw)| Problem::new(Path::from(path.as_str()), raw.message.clone()))
            .collect();
        // The pipeline's stages one by one: build here (after the last build, which an edit
        // of a Service only continues), the scene in `next_built`.
        let last = self.built.as_ref().map(Built::last);
        match crate::pipeline::build_after(&self.draft, last) {
            Ok((cluster, groundwork)) => {
                let made = (cluster, self.draft.clone(), groundwork);
                self.built = Some(next_built(self.built.as_ref(), made));
            }
            Err(found) => problems.extend(found),
        }
        // A new Rc only for new problems: the editor's sections compare it by identity.
        if *self.problems != problems {
            self.problems = Rc::new(problems);
        }
    }

    fn set_raw(&mut self, path: String, raw: Option<RawInput>) {
        let current = self.raw.get(&path);
        if current == raw.as_ref() {
            return;
        }
        let map = Rc::make_mut(&mut self.raw);
        match raw {
            Some(r) => map.insert(path, r),
            None => map.remove(&path),
        };
    }

    /// Drops the raw texts of a list's fields (after its items moved).
    fn forget_raw(&mut self, list: List) {
        let prefix = format!("{}[", list.path());
        let stale: Vec<String> = self
            .raw
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect();
        for k in stale {
            self.set_raw(k, None);
        }
    }

    /// Applies an edit to the draft. Returns whether anything changed.
    fn apply(&mut self, edit: Edit) -> bool {
        let before = (self.draft.clone(), self.raw.clone());
        if let Edit::Replace(scenario) = edit {
            // No copy of the old draft to overwrite (the generated 5,000-node scenario has
            // 5,000 workloads and as many services).
            self.draft = Rc::new(*scenario);
            if !self.raw.is_empty() {
                self.raw = Rc::default();
            }
            return *self.draft != *before.0 || self.raw != before.1;
        }
        let draft = Rc::make_mut(&mut self.draft);
        match edit {
            Edit::VpcCidr(text) => draft.vpc.cidr = text,
            Edit::NatGateways(mode) => draft.vpc.nat_gateways = mode,
            Edit::SubnetCidr(i, text) => {
                if let Some(s) = draft.vpc.subnets.get_mut(i) {
                    s.cidr = text;
                }
            }
            Edit::SubnetPublic(i, public) => {
                if let Some(s) = draft.vpc.subnets.get_mut(i) {
                    s.public = public;
                }
            }
            Edit::InstanceType(g, text) => {
                if let Some(group) = draft.managed_node_groups.get_mut(g) {
                    group.instance_type = text.trim().to_string();
                }
            }
            Edit::DesiredCapacity(g, text) => {
                let path = format!("managedNodeGroups[{g}].desiredCapacity");
                match parse_count(&text) {
                    Ok(n) => {
                        if let Some(group) = draft.managed_node_groups.get_mut(g) {
                            group.desired_capacity = n;
                        }
                        self.set_raw(path, None);
                    }
                    Err(message) => self.set_raw(path, Some(RawInput { text, message })),
                }
            }
            Edit::CniFlag(flag, on) => {
                let c = &mut draft.cluster.vpc_cni;
                match flag {
                    CniFlag::PrefixDelegation => c.prefix_delegation = on,
                    CniFlag::ExternalSnat => c.external_snat = on,
                    CniFlag::PodEni => c.pod_eni = on,
                }
            }
            Edit::Warm(field, text) => {
                let path = field.path().to_string();
                match parse_optional(&text, field.env()) {
                    Ok(v) => {
                        *field.slot(draft) = v;
                        self.set_raw(path, None);
                    }
                    Err(message) => self.set_raw(path, Some(RawInput { text, message })),
                }
            }
            Edit::EnforcingMode(mode) => {
                draft.cluster.vpc_cni.pod_security_group_enforcing_mode = mode
            }
            Edit::CniVersion(text) => draft.cluster.vpc_cni.version = text.trim().to_string(),
            Edit::IpFamily(family) => {
                // Each service CIDR field belongs to one family: the other one's goes.
                draft.cluster.ip_family = family;
                match family {
                    IpFamily::IPv4 => draft.cluster.service_ipv6_cidr = None,
                    IpFamily::IPv6 => draft.cluster.service_ipv4_cidr = None,
                }
            }
            Edit::CustomNetworking(true) => set_up_custom_networking(draft),
            Edit::CustomNetworking(false) => draft.cluster.vpc_cni.custom_networking.clear(),
            Edit::EniConfig(az, subnet) => {
                draft.cluster.vpc_cni.custom_networking.insert(az, subnet);
            }
            Edit::EndpointPublic(on) => draft.cluster.cluster_endpoints.public_access = on,
            Edit::EndpointPrivate(on) => draft.cluster.cluster_endpoints.private_access = on,
            Edit::PublicAccessCidrs(text) => {
                draft.cluster.public_access_cidrs = text
                    .split(',')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect();
            }
            Edit::AddWorkload(new) => {
                // The form shows why it cannot add (see `workload_from`); nothing changes.
                if let Ok(w) = workload_from(&new, &draft.workloads) {
                    draft.workloads.push(w);
                }
            }
            Edit::Replicas(i, text) => {
                let path = format!("workloads[{i}].replicas");
                match parse_number(&text, "replicas", MAX_REPLICAS) {
                    Ok(n) => {
                        if let Some(w) = draft.workloads.get_mut(i) {
                            w.replicas = n;
                        }
                        self.set_raw(path, None);
                    }
                    Err(message) => self.set_raw(path, Some(RawInput { text, message })),
                }
            }
            Edit::RemoveWorkload(i) | Edit::RemoveItem(List::Workloads, i) => {
                if list_edit::remove(draft, List::Workloads, i) {
                    self.forget_raw(List::Workloads);
                }
            }
            Edit::RemoveItem(list, i) => {
                if list_edit::remove(draft, list, i) {
                    // Raw texts of the list's fields no longer point where they did.
                    self.forget_raw(list);
                }
            }
            Edit::AddSubnet(subnet) => draft.vpc.subnets.push(subnet),
            Edit::AddItem(list) => {
                list_edit::add(draft, list);
            }
            Edit::DuplicateItem(list, i) => {
                list_edit::duplicate(draft, list, i);
            }
            Edit::ItemField(list, i, field, text) => {
                let path = list.field_path(i, field);
                match list_edit::set(draft, list, i, field, &text) {
                    Ok(()) => self.set_raw(path, None),
                    Err(message) => self.set_raw(path, Some(RawInput { text, message })),
                }
            }
            Edit::RenumberSubnets(from, to) => {
                let (Ok(from), Ok(to)) = (parse_cidr(&from), parse_cidr(&to)) else {
                    return false;
                };
                let cidrs: Vec<String> = draft.vpc.subnets.iter().map(|x| x.cidr.clone()).collect();
                // The editor offers it only when they fit (`renumber_subnets` says why not).
                if let Ok(moved) = renumber_subnets(&cidrs, from, to) {
                    for (x, cidr) in draft.vpc.subnets.iter_mut().zip(moved) {
                        x.cidr = cidr;
                    }
                    self.forget_raw(List::Subnets);
                }
            }
            // Handled above, without copying the old draft.
            Edit::Replace(_) => {}
        }
        *self.draft != *before.0 || self.raw != before.1
    }
}

/// A whole number from 0 to `max`, as typed in a field for `what`.
pub fn parse_number(text: &str, what: &str, max: u32) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!(
            "enter a number of {what}, 0 to {}",
            crate::layout::text::thousands(max)
        ));
    }
    match t.parse::<u64>() {
        Ok(n) if n <= u64::from(max) => Ok(n as u32),
        Ok(_) => Err(format!(
            "at most {} {what}",
            crate::layout::text::thousands(max)
        )),
        Err(_) => Err(format!("`{}` is not a whole number", t.escape_default())),
    }
}

/// A warm target as typed: empty = unset, else a whole number.
pub fn parse_optional(text: &str, what: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>().map(Some).map_err(|_| {
        format!(
            "{what} is a whole number of 0 or more, or empty for unset; `{}` is not",
            t.escape_default()
        )
    })
}

/// The Deployment the add form describes, or why the form cannot add it yet (`existing`:
/// the draft's workloads); the model checks its name and requests.
pub fn workload_from(new: &NewWorkload, existing: &[Workload]) -> Result<Workload, String> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err("name the Deployment (lower-case letters, digits and `-`)".into());
    }
    if existing
        .iter()
        .any(|w| w.name == name && w.namespace == "default")
    {
        return Err(format!("a workload named `{name}` exists already"));
    }
    let replicas = if new.replicas.trim().is_empty() {
        1
    } else {
        parse_number(&new.replicas, "replicas", MAX_REPLICAS)?
    };
    let opt = |t: &str| {
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    };
    Ok(Workload {
        name: name.to_string(),
        namespace: "default".into(),
        kind: new.kind,
        replicas,
        labels: Default::default(),
        requests: Requests {
            cpu: opt(&new.cpu),
            memory: opt(&new.memory),
        },
        node_selector: Default::default(),
        tolerations: Vec::new(),
        topology_spread_constraints: Vec::new(),
        security_groups: new
            .security_groups
            .split(',')
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(String::from)
            .collect(),
        host_network: false,
        container_port: 8080,
    })
}

/// Turns custom networking on: each AZ gets an ENIConfig subnet — its subnet in [`POD_CIDR`]
/// if it has one, else a new `/19` `pods-<letter>` there, adding [`POD_CIDR`] as a secondary
/// VPC CIDR when the VPC lacks it. AZs that already have an ENIConfig keep it.
pub fn set_up_custom_networking(s: &mut Scenario) {
    let mut azs: Vec<String> = Vec::new();
    for subnet in &s.vpc.subnets {
        if !azs.contains(&subnet.az) {
            azs.push(subnet.az.clone());
        }
    }
    let in_pod_cidr = |cidr: &str| cidr.starts_with("100.64.");
    let mut next_block = s
        .vpc
        .subnets
        .iter()
        .filter(|x| in_pod_cidr(&x.cidr))
        .count() as u32;
    for az in azs {
        if s.cluster.vpc_cni.custom_networking.contains_key(&az) {
            continue;
        }
        let existing = s
            .vpc
            .subnets
            .iter()
            .find(|x| x.az == az && in_pod_cidr(&x.cidr))
            .map(|x| x.name.clone());
        let name = match existing {
            Some(name) => name,
            None => {
                if next_block >= 8 {
                    continue; // a /16 holds eight /19s
                }
                if !s.vpc.secondary_cidrs.iter().any(|c| c == POD_CIDR) && s.vpc.cidr != POD_CIDR {
                    s.vpc.secondary_cidrs.push(POD_CIDR.to_string());
                }
                let letter = az.chars().last().unwrap_or('x');
                let mut name = format!("pods-{letter}");
                let mut n = 2;
                while s.vpc.subnets.iter().any(|x| x.name == name) {
                    name = format!("pods-{letter}{n}");
                    n += 1;
                }
                s.vpc.subnets.push(Subnet {
                    tags: Default::default(),
                    name: name.clone(),
                    az: az.clone(),
                    cidr: format!("100.64.{}.0/19", next_block * 32),
                    public: false,
                });
                next_block += 1;
                name
            }
        };
        s.cluster.vpc_cni.custom_networking.insert(az, name);
    }
}

/// A node count as typed: a whole number from 0 to [`MAX_NODES`].
pub fn parse_count(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!(
            "enter a number of nodes, 0 to {}",
            crate::layout::text::thousands(MAX_NODES)
        ));
    }
    match t.parse::<u64>() {
        Ok(n) if n <= u64::from(MAX_NODES) => Ok(n as u32),
        Ok(n) => Err(format!(
            "{} nodes is more than eksplain models: at most {} nodes",
            crate::layout::text::thousands(n),
            crate::layout::text::thousands(MAX_NODES)
        )),
        Err(_) => Err(format!(
            "`{}` is not a whole number of nodes",
            t.escape_default()
        )),
    }
}

impl Reducible for Workspace {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut next = (*self).clone();
        if !next.apply(edit) {
            return self;
        }
        next.rebuild();
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Kind;
    use crate::model;
    use crate::scenario::default_scenario;

    fn count(ws: &Workspace, kind: Kind) -> usize {
        ws.built
            .as_ref()
            .unwrap()
            .scene
            .walk()
            .filter(|s| s.kind == kind)
            .count()
    }

    fn edit(ws: Rc<Workspace>, e: Edit) -> Rc<Workspace> {
        ws.reduce(e)
    }

    #[test]
    fn the_default_scenario_is_built_and_drawn() {
        let ws = Workspace::new(default_scenario());
        assert!(ws.is_current());
        assert_eq!(count(&ws, Kind::Node), 3);
        assert_eq!(count(&ws, Kind::Subnet), 6);
    }

    #[test]
    fn unfinished_work_opens_over_the_last_good_picture() {
        let good = default_scenario();
        let mut typing = good.clone();
        typing.vpc.subnets[0].cidr = "10.0.0.0/".into();
        let ws = Workspace::over(good.clone(), typing.clone());
        assert_eq!(*ws.draft, typing);
        assert!(!ws.is_current());
        assert_eq!(
            *ws.built.unwrap().cluster,
            model::build(&good).unwrap(),
            "the diagram shows the last draft that built"
        );
    }

    #[test]
    fn a_new_node_count_redraws_the_nodes() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::DesiredCapacity(0, "5".into()));
        assert!(ws.is_current());
        assert_eq!(count(&ws, Kind::Node), 5);
    }

    #[test]
    fn an_invalid_cidr_keeps_the_last_cluster_and_names_the_field() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let before = ws.built.clone();
        let ws = edit(ws, Edit::SubnetCidr(2, "10.1.0.0/24".into()));
        assert!(!ws.is_current());
        assert_eq!(ws.built, before);
        let at: Vec<&Problem> = ws.problems_at("vpc.subnets[2].cidr").collect();
        assert_eq!(at.len(), 1);
        assert!(
            at[0].message.contains("is outside the VPC's CIDRs"),
            "{}",
            at[0].message
        );
        // Fixing it brings the diagram back in step.
        let ws = edit(ws, Edit::SubnetCidr(2, "10.0.2.0/24".into()));
        assert!(ws.is_current());
    }

    #[test]
    fn text_that_is_not_a_count_is_a_problem_at_its_field() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::DesiredCapacity(0, "lots".into()));
        assert_eq!(ws.draft.managed_node_groups[0].desired_capacity, 3);
        assert_eq!(ws.raw["managedNodeGroups[0].desiredCapacity"].text, "lots");
        assert_eq!(
            ws.problems_at("managedNodeGroups[0].desiredCapacity")
                .count(),
            1
        );
        let ws = edit(ws, Edit::DesiredCapacity(0, "".into()));
        assert!(ws.problems[0].message.starts_with("enter a number"));
        let ws = edit(ws, Edit::DesiredCapacity(0, "99999".into()));
        assert!(ws.problems[0].message.contains("at most 5,000"));
        let ws = edit(ws, Edit::DesiredCapacity(0, "4".into()));
        assert!(ws.is_current() && ws.raw.is_empty());
        assert_eq!(count(&ws, Kind::Node), 4);
    }

    #[test]
    fn an_unchanged_cluster_keeps_its_scene() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let scene = ws.built.as_ref().unwrap().scene.clone();
        let same = edit(ws.clone(), Edit::DesiredCapacity(0, "3".into()));
        assert!(Rc::ptr_eq(&ws, &same));
        // An edit that changes the document but not the cluster keeps the scene's Rc.
        let renamed = edit(ws, Edit::InstanceType(0, " m5.large ".into()));
        assert!(Rc::ptr_eq(&renamed.built.as_ref().unwrap().scene, &scene));
    }

    #[test]
    fn the_picture_always_matches_the_draft() {
        // Whatever a step kept, the cluster and scene are those of the draft built and laid
        // out from scratch: traffic toggles, layout changes, an invalid step and its fix.
        let etp = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        fn policy(ws: &Workspace, p: crate::scenario::TrafficPolicy) -> Edit {
            crate::ui::flow_panel::with_service(&ws.draft, 0, |s| s.external_traffic_policy = p)
        }
        let mut ws = Rc::new(Workspace::new(etp));
        type Step = Box<dyn Fn(&Workspace) -> Edit>;
        let steps: Vec<Step> = vec![
            Box::new(|ws| policy(ws, crate::scenario::TrafficPolicy::Local)),
            Box::new(|_| Edit::CniFlag(CniFlag::ExternalSnat, true)),
            Box::new(|_| Edit::CniFlag(CniFlag::PrefixDelegation, true)),
            Box::new(|ws| policy(ws, crate::scenario::TrafficPolicy::Cluster)),
            Box::new(|_| Edit::DesiredCapacity(0, "5".into())),
            Box::new(|_| Edit::SubnetCidr(0, "10.9.0.0/24".into())),
            Box::new(|ws| policy(ws, crate::scenario::TrafficPolicy::Local)),
            Box::new(|_| Edit::SubnetCidr(0, "10.0.0.0/24".into())),
            Box::new(|_| Edit::Replicas(0, "1".into())),
            Box::new(|_| Edit::CniFlag(CniFlag::PrefixDelegation, false)),
            Box::new(|_| Edit::EndpointPrivate(true)),
        ];
        let (mut kept_scene, mut kept_groundwork) = (0, 0);
        for step in steps {
            let before = ws.built.clone().unwrap();
            ws = edit(ws.clone(), step(&ws));
            let built = ws.built.as_ref().unwrap();
            if !ws.is_current() {
                assert_eq!(*built, before, "an invalid draft keeps the last picture");
                continue;
            }
            let cluster = model::build(&ws.draft).unwrap();
            assert_eq!(*built.cluster, cluster);
            assert_eq!(*built.scene, crate::layout::layout(&cluster));
            kept_scene += usize::from(Rc::ptr_eq(&built.scene, &before.scene));
            kept_groundwork += usize::from(Rc::ptr_eq(&built.groundwork, &before.groundwork));
        }
        assert!(kept_scene >= 2, "traffic toggles keep the scene");
        assert!(
            kept_groundwork >= 2,
            "traffic toggles build on the last pods"
        );
    }

    #[test]
    fn a_toggle_keeps_the_rcs_of_what_it_does_not_change() {
        let etp = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let ws = Rc::new(Workspace::new(etp));
        let toggled = edit(
            ws.clone(),
            crate::ui::flow_panel::with_service(&ws.draft, 0, |s| {
                s.external_traffic_policy = crate::scenario::TrafficPolicy::Local
            }),
        );
        assert!(!Rc::ptr_eq(&toggled.draft, &ws.draft));
        assert!(
            Rc::ptr_eq(&toggled.problems, &ws.problems),
            "no new problems"
        );
        assert!(Rc::ptr_eq(&toggled.raw, &ws.raw), "no field text");
        let (a, b) = (ws.built.as_ref().unwrap(), toggled.built.as_ref().unwrap());
        assert!(Rc::ptr_eq(&a.scene, &b.scene) && !Rc::ptr_eq(&a.cluster, &b.cluster));
        assert!(!a.is(b) && a.is(&a.clone()));
    }

    #[test]
    fn prefix_delegation_redraws_the_nodes_with_prefixes() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        assert_eq!(count(&ws, Kind::Prefix), 0);
        let ws = edit(ws, Edit::CniFlag(CniFlag::PrefixDelegation, true));
        assert!(ws.is_current());
        assert!(count(&ws, Kind::Prefix) > 0);
        let c = &ws.built.as_ref().unwrap().cluster;
        assert!(c.nodes.iter().all(|n| n.max_pods.value == 110));
    }

    #[test]
    fn warm_targets_take_numbers_or_nothing() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::Warm(WarmField::WarmIp, "2".into()));
        assert_eq!(ws.draft.cluster.vpc_cni.warm_ip_target, Some(2));
        let ws = edit(ws, Edit::Warm(WarmField::WarmIp, "two".into()));
        assert_eq!(ws.problems_at("cluster.vpcCni.warmIpTarget").count(), 1);
        let ws = edit(ws, Edit::Warm(WarmField::WarmIp, " ".into()));
        assert!(ws.is_current());
        assert_eq!(ws.draft.cluster.vpc_cni.warm_ip_target, None);
    }

    #[test]
    fn custom_networking_sets_up_pod_subnets_once() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::CustomNetworking(true));
        assert!(ws.is_current(), "{:?}", ws.problems);
        let d = &ws.draft;
        assert_eq!(d.vpc.secondary_cidrs, vec![POD_CIDR.to_string()]);
        let pods: Vec<(&str, &str)> = d
            .vpc
            .subnets
            .iter()
            .filter(|s| s.name.starts_with("pods-"))
            .map(|s| (s.name.as_str(), s.cidr.as_str()))
            .collect();
        assert_eq!(
            pods,
            [
                ("pods-a", "100.64.0.0/19"),
                ("pods-b", "100.64.32.0/19"),
                ("pods-c", "100.64.64.0/19")
            ]
        );
        assert_eq!(d.cluster.vpc_cni.custom_networking["us-east-1b"], "pods-b");
        let c = &ws.built.as_ref().unwrap().cluster;
        assert!(c.nodes.iter().all(|n| n
            .pod_subnet
            .is_some_and(|s| c.subnets[s].name.starts_with("pods-"))));
        // Off and on again: the same subnets, no duplicates.
        let ws = edit(ws, Edit::CustomNetworking(false));
        assert!(ws.draft.cluster.vpc_cni.custom_networking.is_empty());
        let ws = edit(ws, Edit::CustomNetworking(true));
        assert_eq!(ws.draft.vpc.subnets.len(), 9);
        assert_eq!(ws.draft.vpc.secondary_cidrs.len(), 1);
        let ws = edit(ws, Edit::EniConfig("us-east-1a".into(), "private-a".into()));
        assert_eq!(
            ws.draft.cluster.vpc_cni.custom_networking["us-east-1a"],
            "private-a"
        );
    }

    #[test]
    fn endpoints_and_cidrs_edit_the_cluster() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::EndpointPrivate(true));
        let ws = edit(ws, Edit::EndpointPublic(false));
        assert!(ws.is_current());
        let c = &ws.built.as_ref().unwrap().cluster;
        assert_eq!(c.control_plane.endpoint.label(), "private");
        assert!(c.findings.iter().any(
            |f| f.subject == "control-plane" && f.message.starts_with("private endpoint only")
        ));
        let ws = edit(
            ws,
            Edit::PublicAccessCidrs(" 203.0.113.0/24, ,198.51.100.7/32".into()),
        );
        assert_eq!(
            ws.draft.cluster.public_access_cidrs,
            ["203.0.113.0/24", "198.51.100.7/32"]
        );
        let ws = edit(ws, Edit::EndpointPrivate(false));
        assert!(!ws.is_current());
        assert_eq!(ws.problems_at("cluster.clusterEndpoints").count(), 1);
    }

    #[test]
    fn workloads_are_added_scaled_and_removed() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let add = |name: &str, replicas: &str| {
            Edit::AddWorkload(NewWorkload {
                name: name.into(),
                replicas: replicas.into(),
                cpu: "100m".into(),
                memory: String::new(),
                ..Default::default()
            })
        };
        let ws = edit(ws, add("web", "4"));
        assert!(ws.is_current());
        assert_eq!(ws.draft.workloads[0].replicas, 4);
        assert_eq!(ws.draft.workloads[0].requests.cpu.as_deref(), Some("100m"));
        assert_eq!(count(&ws, Kind::Pod), 2 + 4);
        let same = edit(ws.clone(), add("web", "1"));
        assert!(Rc::ptr_eq(&same, &ws), "a duplicate is not added");
        assert!(workload_from(
            &NewWorkload {
                name: "web".into(),
                ..Default::default()
            },
            &ws.draft.workloads
        )
        .unwrap_err()
        .contains("exists already"));
        let ws = edit(ws, Edit::Replicas(0, "x".into()));
        assert_eq!(ws.problems_at("workloads[0].replicas").count(), 1);
        let ws = edit(ws, Edit::Replicas(0, "6".into()));
        assert_eq!(count(&ws, Kind::Pod), 2 + 6);
        let ws = edit(ws, Edit::RemoveWorkload(0));
        assert!(ws.draft.workloads.is_empty());
        assert!(!ws.raw.contains_key("workloads[0].replicas"));
    }

    #[test]
    fn unknown_instance_types_are_reported_with_suggestions() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::InstanceType(0, "m5.huge".into()));
        let p: Vec<&Problem> = ws
            .problems_at("managedNodeGroups[0].instanceType")
            .collect();
        assert!(p[0].message.contains("did you mean"), "{}", p[0].message);
        let ws = edit(ws, Edit::InstanceType(0, "m5.4xlarge".into()));
        assert!(ws.is_current());
    }

    #[test]
    fn list_edits_add_set_and_remove_with_problems_at_their_fields() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::AddItem(List::NodeGroups));
        assert_eq!(count(&ws, Kind::Node), 5);
        let ws = edit(
            ws,
            Edit::ItemField(List::NodeGroups, 1, "taints", "gpu".into()),
        );
        let at: Vec<&Problem> = ws.problems_at("managedNodeGroups[1].taints").collect();
        assert!(at[0].message.contains("needs an effect"), "{:?}", at);
        assert_eq!(ws.raw["managedNodeGroups[1].taints"].text, "gpu");
        let ws = edit(
            ws,
            Edit::ItemField(List::NodeGroups, 1, "taints", "gpu=true:NoSchedule".into()),
        );
        assert!(ws.is_current() && ws.raw.is_empty());
        // A name the model refuses is a problem at the name.
        let ws = edit(
            ws,
            Edit::ItemField(List::NodeGroups, 1, "name", "NG 2".into()),
        );
        assert_eq!(ws.problems_at("managedNodeGroups[1].name").count(), 1);
        let ws = edit(
            ws,
            Edit::ItemField(List::NodeGroups, 1, "name", "ng-2".into()),
        );
        let ws = edit(ws, Edit::DuplicateItem(List::NodeGroups, 1));
        assert_eq!(ws.draft.managed_node_groups[2].name, "ng-2-copy");
        let ws = edit(ws, Edit::RemoveItem(List::NodeGroups, 2));
        let ws = edit(ws, Edit::RemoveItem(List::NodeGroups, 1));
        assert!(ws.is_current());
        assert_eq!(count(&ws, Kind::Node), 3);
    }

    #[test]
    fn a_subnet_is_added_and_the_vpc_renumbered() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let mut subnet = ws.draft.vpc.subnets[0].clone();
        subnet.name = "public-d".into();
        subnet.az = "us-east-1d".into();
        subnet.cidr = crate::ui::subnet_form::suggested_cidr(&ws.draft, 24).unwrap();
        let ws = edit(ws, Edit::AddSubnet(subnet));
        assert!(ws.is_current(), "{:?}", ws.problems);
        assert_eq!(count(&ws, Kind::Subnet), 7);
        // The VPC moves: the subnets are outside it until renumbered.
        let ws = edit(ws, Edit::VpcCidr("172.20.0.0/16".into()));
        assert!(!ws.is_current());
        let from = ws.built.as_ref().unwrap().cluster.vpc.primary().to_string();
        let ws = edit(ws, Edit::RenumberSubnets(from, "172.20.0.0/16".into()));
        assert!(ws.is_current(), "{:?}", ws.problems);
        assert_eq!(ws.draft.vpc.subnets[3].cidr, "172.20.16.0/20");
        assert_eq!(ws.draft.vpc.subnets[6].cidr, "172.20.3.0/24");
        // Subnets that do not fit stay where they are.
        let same = edit(
            ws.clone(),
            Edit::RenumberSubnets("172.20.0.0/16".into(), "10.0.0.0/24".into()),
        );
        assert_eq!(same.draft.vpc.subnets, ws.draft.vpc.subnets);
    }
}
