//! A scenario read from JSON text, by hand, with the messages and paths serde's derived
//! `Deserialize` gives over `tree_reader` (`invalid type: string "three", expected u32` at
//! `managedNodeGroups[0].desiredCapacity`, `unknown field ...`, `missing field ...`,
//! `unknown variant ...`).
//!
//! Why by hand: the derived code is one large generic visitor per type (a map visitor, a
//! sequence visitor and an identifier visitor each), ≈ 120 KB of the wasm before wasm-opt.
//! Here a struct is a loop over a non-generic field matcher and an enum is a table, so each
//! type costs a few hundred bytes. The unit tests read thousands of altered documents both ways
//! and require the same result.
//!
//! Why from text: [`read_text`] reads the user's text straight into the scenario, with no tree
//! in between (a 4 MiB link's tree costs twice its reading). It gives up, and the document is
//! read the long way ([`read`], over the parsed tree), on anything that way treats with more
//! care: invalid JSON, a duplicate or misplaced field, a value of the wrong type, a string long
//! enough for the limits check, another version. [`read`] writes the tree back as compact text,
//! whose keys come sorted and once each, so the same reader meets its errors in the tree's
//! order and names the first one as serde would.

use std::collections::BTreeMap;

use serde::de::{Error as _, Unexpected};
use serde_json::Value;

use super::document::*;
use super::json_cursor::Cursor;
use super::limits::{DESCRIPTION_MAX, MAX_STRING_CHARS};
use super::read_error::{invalid_type, unexpected, Error, Pending, Segment};

/// Reads the user's JSON `text` as a scenario when it is one as it stands: valid JSON that
/// [`super::from_json`] would read to this same scenario, with nothing for its checks to say.
/// `None`: read it the long way, which finds what is wrong, or what this way does not take.
pub fn read_text(text: &str) -> Option<Scenario> {
    let mut cursor = Cursor::new(text, true);
    let scenario = Scenario::read(&mut cursor).ok()?;
    (cursor.at_end() && scenario.version == CURRENT_VERSION).then_some(scenario)
}

/// Reads `value` as a scenario; on the first error, its path (dotted fields, `[i]` indexes;
/// empty for the document itself) and serde's message.
pub fn read(value: Value) -> Result<Scenario, (String, String)> {
    let text = value.to_string();
    Scenario::read(&mut Cursor::new(&text, false)).map_err(|e| {
        let e = e.resolve(&value, say);
        (e.path(), e.message)
    })
}

/// The message of a [`Pending`] error, from the value it is about.
fn say(value: &Value, pending: Pending) -> Error {
    let said = match pending {
        Pending::Type(expected) => Err(invalid_type(value, expected)),
        Pending::Unsigned(max, expected) => unsigned(value, max, expected).map(|_| ()),
        Pending::Variant(names) => variant(value, names).map(|_| ()),
    };
    said.err().unwrap_or_else(Error::syntax)
}

/// A type read from JSON text.
trait Read: Sized {
    fn read(c: &mut Cursor) -> Result<Self, Error>;

    /// A list to collect the entries of a map of these in, given back when the map is read.
    fn entries(_: &mut Cursor) -> Vec<(String, Self)> {
        Vec::new()
    }

    fn give_back(_: &mut Cursor, _: Vec<(String, Self)>) {}
}

impl Read for String {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        match c.peek() {
            Some(b'"') => c.string().map(|s| s.into_owned()),
            _ => Err(Error::pending(Pending::Type("a string"))),
        }
    }

    /// The cursor's own list: a document of many maps of strings allocates it once.
    fn entries(c: &mut Cursor) -> Vec<(String, String)> {
        std::mem::take(&mut c.pairs)
    }

    fn give_back(c: &mut Cursor, entries: Vec<(String, String)>) {
        c.pairs = entries;
    }
}

impl Read for bool {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        c.peek();
        if c.literal("true") {
            Ok(true)
        } else if c.literal("false") {
            Ok(false)
        } else {
            Err(Error::pending(Pending::Type("a boolean")))
        }
    }
}

/// An unsigned integer no larger than `max`, or serde's message naming `expected` (`u32`).
#[inline(never)]
fn unsigned(value: &Value, max: u64, expected: &str) -> Result<u64, Error> {
    let Value::Number(n) = value else {
        return Err(invalid_type(value, expected));
    };
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) if u <= max => Ok(u),
        (Some(u), _) => Err(Error::invalid_value(Unexpected::Unsigned(u), &expected)),
        (_, Some(i)) => Err(Error::invalid_value(Unexpected::Signed(i), &expected)),
        _ => Err(invalid_type(value, expected)),
    }
}

/// The unsigned integer here when it is at most `max`; anything else is [`unsigned`]'s error.
#[inline(never)]
fn read_unsigned(c: &mut Cursor, max: u64, expected: &'static str) -> Result<u64, Error> {
    c.peek();
    match c.unsigned() {
        Some(n) if n <= max => Ok(n),
        _ => Err(Error::pending(Pending::Unsigned(max, expected))),
    }
}

impl Read for u32 {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        read_unsigned(c, u64::from(u32::MAX), "u32").map(|n| n as u32)
    }
}

impl Read for u16 {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        read_unsigned(c, u64::from(u16::MAX), "u16").map(|n| n as u16)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        c.peek();
        if c.literal("null") {
            return Ok(None);
        }
        T::read(c).map(Some)
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        if c.peek() != Some(b'[') {
            return Err(Error::pending(Pending::Type("a sequence")));
        }
        c.bump();
        let mut out = Vec::new();
        let mut first = true;
        while c.item(&mut first)? {
            match T::read(c) {
                Ok(item) => out.push(item),
                Err(e) => return Err(e.at(Segment::Index(out.len()))),
            }
        }
        Ok(out)
    }
}

impl<T: Read> Read for BTreeMap<String, T> {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        if c.peek() != Some(b'{') {
            return Err(Error::pending(Pending::Type("a map")));
        }
        c.bump();
        // Collected, then built in one pass (sorted, a repeated key keeping its last value
        // as in the tree) rather than one search and insertion each.
        let mut entries = T::entries(c);
        let mut first = true;
        let read = loop {
            match c.key(&mut first) {
                Ok(Some(key)) => match T::read(c) {
                    Ok(item) => entries.push((key.into_owned(), item)),
                    Err(e) => break Err(e.at(Segment::Field(key.into_owned()))),
                },
                Ok(None) => break Ok(entries.drain(..).collect()),
                Err(e) => break Err(e),
            }
        };
        entries.clear();
        T::give_back(c, entries);
        read
    }
}

/// Reads a struct's fields as they come, handing each to `set` with its index in `names`: an
/// object's entries in order (serde's map visitor; an unknown one is an error, a repeated one
/// is set again, so the last counts as in the tree), or a list's items, one per field in
/// declaration order (serde's sequence visitor; the fast read leaves those to the long way).
/// An error from `set` gets the field's segment. `expecting` is serde's name for the struct
/// (`struct Vpc`). Returns whether the value was an object, for [`missing`].
#[inline(never)]
fn read_fields(
    c: &mut Cursor,
    expecting: &'static str,
    names: &'static [&'static str],
    set: &mut dyn FnMut(usize, &mut Cursor) -> Result<(), Error>,
) -> Result<bool, Error> {
    match c.peek() {
        Some(b'{') => {
            c.bump();
            // The root's description may be longer than other strings (the tree path's rule).
            let root = expecting == "struct Scenario";
            let mut first = true;
            while let Some(key) = c.key(&mut first)? {
                let Some(i) = names.iter().position(|name| *name == key) else {
                    let e = Error::unknown_field(&key, names);
                    return Err(e.at(Segment::Field(key.into_owned())));
                };
                if root && key == "description" {
                    c.max = DESCRIPTION_MAX;
                }
                let set = set(i, c);
                c.max = MAX_STRING_CHARS;
                if let Err(e) = set {
                    return Err(e.at(Segment::Field(key.into_owned())));
                }
            }
            Ok(true)
        }
        Some(b'[') if !c.raw => {
            c.bump();
            let mut first = true;
            let mut i = 0;
            while c.item(&mut first)? {
                if i < names.len() {
                    set(i, c).map_err(|e| e.at(Segment::Index(i)))?;
                } else {
                    c.skip()?;
                }
                i += 1;
            }
            Ok(false)
        }
        _ => Err(Error::pending(Pending::Type(expecting))),
    }
}

/// The error for required field `i` when it is absent: from an object, `missing field`; from a
/// list too short, serde's `invalid length`.
#[inline(never)]
fn missing(object: bool, expecting: &str, names: &'static [&'static str], i: usize) -> Error {
    if object {
        Error::missing_field(names[i])
    } else {
        let n = names.len();
        let elements = if n == 1 { "element" } else { "elements" };
        Error::invalid_length(i, &format!("{expecting} with {n} {elements}").as_str())
    }
}

/// A struct: its serde name, then `index field: "jsonName"` per field in declaration order,
/// `= default` for those that may be absent.
macro_rules! read_struct {
    ($ty:ident $expecting:literal { $($i:literal $field:ident : $name:literal $(= $default:expr)?),* $(,)? }) => {
        impl Read for $ty {
            fn read(c: &mut Cursor) -> Result<Self, Error> {
                const NAMES: &[&str] = &[$($name),*];
                $(let mut $field = None;)*
                let _object = read_fields(c, $expecting, NAMES, &mut |i, c| {
                    match i {
                        $($i => $field = Some(Read::read(c)?),)*
                        _ => {}
                    }
                    Ok(())
                })?;
                Ok($ty {
                    $($field: match $field {
                        Some(v) => v,
                        None => read_struct!(@absent _object $expecting NAMES $i $($default)?),
                    },)*
                })
            }
        }
    };
    (@absent $object:ident $expecting:literal $names:ident $i:literal) => {
        return Err(missing($object, $expecting, $names, $i))
    };
    (@absent $object:ident $expecting:literal $names:ident $i:literal $default:expr) => { $default };
}

/// The variant named by `value` as an index into `names` (aliases included, as serde lists
/// them): a string, or `{"Variant": null}`.
#[inline(never)]
fn variant(value: &Value, names: &'static [&'static str]) -> Result<usize, Error> {
    let find = |name: &str| {
        names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| Error::unknown_variant(name, names))
    };
    match value {
        Value::String(s) => find(s),
        Value::Object(map) if map.len() == 1 => {
            let (name, value) = map.iter().next().expect("one entry");
            let found = find(name).and_then(|i| match value {
                Value::Null => Ok(i),
                other => Err(Error::invalid_type(unexpected(other), &"unit variant")),
            });
            found.map_err(|e| e.at(Segment::Field(name.clone())))
        }
        other => Err(invalid_type(other, "a variant name")),
    }
}

/// The variant here, as [`variant`] reads it: a known name as a string or as the only key of
/// an object whose value is `null`; anything else is [`variant`]'s error.
#[inline(never)]
fn read_variant(c: &mut Cursor, names: &'static [&'static str]) -> Result<usize, Error> {
    let find = |name: &str| names.iter().position(|n| *n == name);
    match c.peek() {
        Some(b'"') => {
            let name = c.string()?;
            find(&name).ok_or_else(|| Error::unknown_variant(&name, names))
        }
        Some(b'{') => {
            c.bump();
            let mut first = true;
            let key = c.key(&mut first)?;
            c.peek();
            let i = key.as_deref().and_then(find).filter(|_| c.literal("null"));
            match (i, c.key(&mut first)) {
                (Some(i), Ok(None)) => Ok(i),
                _ => Err(Error::pending(Pending::Variant(names))),
            }
        }
        _ => Err(Error::pending(Pending::Variant(names))),
    }
}

/// An enum of unit variants: `"name" => Variant` per name serde accepts, in serde's order.
macro_rules! read_enum {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl Read for $ty {
            fn read(c: &mut Cursor) -> Result<Self, Error> {
                const NAMES: &[&str] = &[$($name),*];
                const VALUES: &[$ty] = &[$($ty::$variant),*];
                read_variant(c, NAMES).map(|i| VALUES[i])
            }
        }
    };
}

read_struct!(Scenario "struct Scenario" {
    0 version: "version",
    1 name: "name" = String::new(),
    2 description: "description" = String::new(),
    3 vpc: "vpc",
    4 cluster: "cluster" = ClusterSpec::default(),
    5 managed_node_groups: "managedNodeGroups" = Vec::new(),
    6 workloads: "workloads" = Vec::new(),
    7 services: "services" = Vec::new(),
    8 ingresses: "ingresses" = Vec::new(),
    9 flows: "flows" = Vec::new(),
    10 security_groups: "securityGroups" = Vec::new(),
    11 node_states: "nodeStates" = BTreeMap::new(),
});

read_enum!(NodeState { "Cordoned" => Cordoned, "Drained" => Drained, "Failed" => Failed });

read_struct!(Vpc "struct Vpc" {
    0 cidr: "cidr",
    1 secondary_cidrs: "secondaryCidrs" = Vec::new(),
    2 subnets: "subnets" = Vec::new(),
    3 nat_gateways: "natGateways" = NatGatewayMode::default(),
});

read_struct!(Subnet "struct Subnet" {
    0 name: "name",
    1 az: "az",
    2 cidr: "cidr",
    3 public: "public" = false,
    4 tags: "tags" = BTreeMap::new(),
});

read_enum!(NatGatewayMode {
    "HighlyAvailable" => HighlyAvailable,
    "OnePerAz" => HighlyAvailable,
    "Single" => Single,
    "Disable" => Disable,
});

read_struct!(ClusterSpec "struct ClusterSpec" {
    0 name: "name" = default_cluster_name(),
    1 ip_family: "ipFamily" = IpFamily::default(),
    2 service_ipv4_cidr: "serviceIPv4CIDR" = None,
    3 service_ipv6_cidr: "serviceIPv6CIDR" = None,
    4 cluster_endpoints: "clusterEndpoints" = ClusterEndpoints::default(),
    5 public_access_cidrs: "publicAccessCIDRs" = default_public_access_cidrs(),
    6 control_plane_subnets: "controlPlaneSubnets" = Vec::new(),
    7 vpc_cni: "vpcCni" = VpcCni::default(),
});

read_enum!(IpFamily { "IPv4" => IPv4, "IPv6" => IPv6 });

read_struct!(ClusterEndpoints "struct ClusterEndpoints" {
    0 public_access: "publicAccess" = yes(),
    1 private_access: "privateAccess" = false,
});

read_struct!(VpcCni "struct VpcCni" {
    0 version: "version" = default_cni_version(),
    1 prefix_delegation: "prefixDelegation" = false,
    2 custom_networking: "customNetworking" = BTreeMap::new(),
    3 external_snat: "externalSnat" = false,
    4 pod_eni: "podEni" = false,
    5 pod_security_group_enforcing_mode: "podSecurityGroupEnforcingMode" = EnforcingMode::default(),
    6 warm_eni_target: "warmEniTarget" = default_warm_eni_target(),
    7 warm_ip_target: "warmIpTarget" = None,
    8 minimum_ip_target: "minimumIpTarget" = None,
    9 warm_prefix_target: "warmPrefixTarget" = None,
});

read_enum!(EnforcingMode { "strict" => Strict, "standard" => Standard });

read_struct!(NodeGroup "struct NodeGroup" {
    0 name: "name",
    1 instance_type: "instanceType",
    2 desired_capacity: "desiredCapacity" = one(),
    3 subnets: "subnets",
    4 labels: "labels" = BTreeMap::new(),
    5 taints: "taints" = Vec::new(),
    6 max_pods_per_node: "maxPodsPerNode" = None,
});

read_struct!(Taint "struct Taint" {
    0 key: "key",
    1 value: "value" = String::new(),
    2 effect: "effect",
});

read_enum!(TaintEffect {
    "NoSchedule" => NoSchedule,
    "PreferNoSchedule" => PreferNoSchedule,
    "NoExecute" => NoExecute,
});

read_struct!(Workload "struct Workload" {
    0 name: "name",
    1 namespace: "namespace" = default_namespace(),
    2 kind: "kind" = WorkloadKind::default(),
    3 replicas: "replicas" = one(),
    4 labels: "labels" = BTreeMap::new(),
    5 requests: "requests" = Requests::default(),
    6 node_selector: "nodeSelector" = BTreeMap::new(),
    7 tolerations: "tolerations" = Vec::new(),
    8 topology_spread_constraints: "topologySpreadConstraints" = Vec::new(),
    9 security_groups: "securityGroups" = Vec::new(),
    10 host_network: "hostNetwork" = false,
    11 container_port: "containerPort" = default_container_port(),
});

read_enum!(WorkloadKind { "Deployment" => Deployment, "DaemonSet" => DaemonSet });

read_struct!(Requests "struct Requests" {
    0 cpu: "cpu" = None,
    1 memory: "memory" = None,
});

read_struct!(Toleration "struct Toleration" {
    0 key: "key" = None,
    1 operator: "operator" = TolerationOperator::default(),
    2 value: "value" = None,
    3 effect: "effect" = None,
});

read_enum!(TolerationOperator { "Equal" => Equal, "Exists" => Exists });

read_struct!(TopologySpreadConstraint "struct TopologySpreadConstraint" {
    0 max_skew: "maxSkew" = one(),
    1 topology_key: "topologyKey",
    2 when_unsatisfiable: "whenUnsatisfiable" = WhenUnsatisfiable::default(),
});

read_enum!(WhenUnsatisfiable {
    "DoNotSchedule" => DoNotSchedule,
    "ScheduleAnyway" => ScheduleAnyway,
});

read_struct!(Service "struct Service" {
    0 name: "name",
    1 namespace: "namespace" = default_namespace(),
    2 selector: "selector" = BTreeMap::new(),
    3 service_type: "type" = ServiceType::default(),
    4 ports: "ports" = Vec::new(),
    5 external_traffic_policy: "externalTrafficPolicy" = TrafficPolicy::default(),
    6 internal_traffic_policy: "internalTrafficPolicy" = TrafficPolicy::default(),
    7 load_balancer: "loadBalancer" = None,
});

read_enum!(ServiceType {
    "ClusterIP" => ClusterIP,
    "NodePort" => NodePort,
    "LoadBalancer" => LoadBalancer,
});

read_struct!(ServicePort "struct ServicePort" {
    0 name: "name" = None,
    1 port: "port",
    2 target_port: "targetPort" = None,
    3 protocol: "protocol" = Protocol::default(),
    4 node_port: "nodePort" = None,
});

read_enum!(Protocol { "TCP" => TCP, "UDP" => UDP });

read_enum!(TrafficPolicy { "Cluster" => Cluster, "Local" => Local });

read_struct!(LoadBalancerSpec "struct LoadBalancerSpec" {
    0 kind: "kind" = LoadBalancerKind::default(),
    1 controller: "controller" = None,
    2 target_type: "targetType" = TargetType::default(),
    3 scheme: "scheme" = None,
    4 cross_zone: "crossZone" = false,
    5 preserve_client_ip: "preserveClientIp" = None,
    6 subnets: "subnets" = Vec::new(),
});

read_enum!(LoadBalancerController {
    "aws-load-balancer-controller" => AwsLoadBalancerController,
    "in-tree" => InTree,
});

read_enum!(LoadBalancerKind { "nlb" => Nlb, "clb" => Clb });

read_enum!(TargetType { "instance" => Instance, "ip" => Ip });

read_enum!(Scheme { "internal" => Internal, "internet-facing" => InternetFacing });

read_struct!(Ingress "struct Ingress" {
    0 name: "name",
    1 namespace: "namespace" = default_namespace(),
    2 group_name: "groupName" = None,
    3 scheme: "scheme" = Scheme::default(),
    4 target_type: "targetType" = TargetType::default(),
    5 rules: "rules" = Vec::new(),
    6 subnets: "subnets" = Vec::new(),
});

read_struct!(IngressRule "struct IngressRule" {
    0 host: "host" = None,
    1 path: "path" = default_path(),
    2 service: "service",
    3 port: "port",
});

read_struct!(SecurityGroup "struct SecurityGroup" {
    0 id: "id",
    1 ingress: "ingress" = Vec::new(),
    2 egress: "egress" = None,
});

read_struct!(SecurityGroupIngress "struct SecurityGroupIngress" {
    0 protocol: "protocol" = RuleProtocol::default(),
    1 ports: "ports" = all_ports(),
    2 from: "from",
});

read_struct!(SecurityGroupEgress "struct SecurityGroupEgress" {
    0 protocol: "protocol" = RuleProtocol::default(),
    1 ports: "ports" = all_ports(),
    2 to: "to",
});

read_enum!(RuleProtocol { "tcp" => Tcp, "udp" => Udp, "-1" => All, "all" => All });

read_struct!(Flow "struct Flow" {
    0 from: "from",
    1 to: "to",
});

#[cfg(test)]
mod tests {
    use super::super::parse::from_json_tree;
    use super::*;
    use serde_json::json;

    /// Both readers on one document: the same scenario, or the same path and message. And
    /// the document as text, written oddly: when the fast read takes it, it reads the same
    /// scenario (the long way would parse the text to `value` and read it as `read` does).
    fn same(value: &Value) -> usize {
        let ours = read(value.clone());
        let serde = super::super::tree_reader::read::<Scenario>(value);
        assert_eq!(ours, serde, "{value}");
        let mut odd = String::new();
        oddly(value, &mut odd);
        if let Some(fast) = read_text(&odd) {
            assert_eq!(Ok(&fast), ours.as_ref(), "{odd}");
        }
        usize::from(ours.is_err())
    }

    /// `value` as JSON written as nobody writes it, though serde_json reads it the same: keys
    /// backwards, each number, boolean and list entry twice (first with another value, which
    /// the second replaces), every `o` escaped, whitespace of all kinds.
    fn oddly(value: &Value, out: &mut String) {
        let string = |s: &str, out: &mut String| {
            out.push('"');
            for ch in s.chars() {
                match ch {
                    '"' | '\\' => {
                        out.push('\\');
                        out.push(ch);
                    }
                    'o' | '\0'..' ' => out.push_str(&format!("\\u{:04x}", u32::from(ch))),
                    _ => out.push(ch),
                }
            }
            out.push('"');
        };
        match value {
            Value::Object(map) => {
                out.push_str("{\n\t");
                for (i, (key, item)) in map.iter().rev().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\r\n");
                    }
                    // Another value of the same type, where one is sure to fit.
                    let decoy = match item {
                        Value::Number(_) => "7",
                        Value::Bool(true) => "false",
                        Value::Bool(false) => "true",
                        Value::Array(_) => "[]",
                        _ => "",
                    };
                    if !decoy.is_empty() {
                        string(key, out);
                        out.push_str(" : ");
                        out.push_str(decoy);
                        out.push_str(",\n");
                    }
                    string(key, out);
                    out.push(':');
                    oddly(item, out);
                }
                out.push_str(" }");
            }
            Value::Array(items) => {
                out.push_str("[ ");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\t");
                    }
                    oddly(item, out);
                }
                out.push_str("\n]");
            }
            Value::String(s) => string(s, out),
            other => out.push_str(&other.to_string()),
        }
    }

    #[test]
    fn the_fast_read_takes_well_formed_documents() {
        let long_description = {
            let mut doc = serde_json::to_value(crate::scenario::default_scenario()).unwrap();
            doc["description"] = json!("d".repeat(crate::scenario::limits::DESCRIPTION_MAX));
            doc
        };
        for document in documents().into_iter().chain([long_description]) {
            let mut odd = String::new();
            oddly(&document, &mut odd);
            for text in [
                document.to_string(),
                serde_json::to_string_pretty(&document).unwrap(),
                odd,
            ] {
                let fast = read_text(&text);
                assert!(fast.is_some(), "{text}");
                assert_eq!(Ok(fast.unwrap()), from_json_tree(&text));
            }
        }
        // What only the long way reads as it should: a long string (in bytes; the check counts
        // characters), a struct given as a list, version 2, invalid JSON, text after the end.
        let mut doc = serde_json::to_value(crate::scenario::default_scenario()).unwrap();
        doc["name"] = json!("é".repeat(600));
        assert!(read_text(&doc.to_string()).is_none());
        assert!(from_json_tree(&doc.to_string()).is_ok());
        doc["name"] = json!("n");
        doc["flows"] = json!([["a", "b"]]);
        assert!(read_text(&doc.to_string()).is_none());
        assert!(from_json_tree(&doc.to_string()).is_ok());
        doc["version"] = json!(2);
        assert!(read_text(&doc.to_string()).is_none());
        doc["version"] = json!(1);
        doc["flows"] = json!([]);
        // A repeated key keeps its last value, in a map as in a struct.
        doc["workloads"] = json!([{"name": "w", "replicas": 2, "labels": {"z": "z"}}]);
        let text = doc.to_string().replacen(
            r#""labels":{"z""#,
            r#""labels":{"app":"first","app":"last","z""#,
            1,
        );
        let text = text.replacen(r#""replicas":"#, r#""replicas":7,"replicas":"#, 1);
        let fast = read_text(&text).unwrap();
        assert_eq!(Ok(fast.clone()), from_json_tree(&text));
        assert_eq!(fast.workloads[0].labels["app"], "last");
        assert_ne!(fast.workloads[0].replicas, 7);
        let text = doc.to_string();
        for bad in [
            format!("{text} x"),
            text.replace(':', " "),
            format!("{text}]"),
        ] {
            assert!(read_text(&bad).is_none(), "{bad}");
        }
    }

    /// Where every value of `value` is, as steps from the root.
    fn places(
        value: &Value,
        here: &mut Vec<Result<String, usize>>,
        out: &mut Vec<Vec<Result<String, usize>>>,
    ) {
        out.push(here.clone());
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    here.push(Ok(key.clone()));
                    places(item, here, out);
                    here.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    here.push(Err(i));
                    places(item, here, out);
                    here.pop();
                }
            }
            _ => {}
        }
    }

    fn at<'a>(mut value: &'a mut Value, place: &[Result<String, usize>]) -> &'a mut Value {
        for step in place {
            value = match step {
                Ok(key) => &mut value[key.as_str()],
                Err(i) => &mut value[*i],
            };
        }
        value
    }

    /// Every value of every shipped scenario replaced, in turn, by each of these; every object
    /// given unknown fields, stripped of each field, and turned into a list.
    fn hostile() -> Vec<Value> {
        vec![
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(1),
            json!(-1),
            json!(70000),
            json!(5_000_000_000u64),
            json!(1.5),
            json!(1e30),
            json!("three"),
            json!(""),
            json!("Cordoned"),
            json!("OnePerAz"),
            json!("-1"),
            json!("all"),
            json!("nlb"),
            json!("in-tree"),
            json!("TCP"),
            json!("ip"),
            json!([]),
            json!([1]),
            json!(["a", "b"]),
            json!({}),
            json!({"x": 1}),
            json!({"Cordoned": null}),
            json!({"Cordoned": 1}),
            json!({"Nope": null}),
            json!({"a": 1, "b": 2}),
            json!({"name": "a"}),
        ]
    }

    fn documents() -> Vec<Value> {
        let mut out = vec![serde_json::to_value(crate::scenario::default_scenario()).unwrap()];
        for text in crate::scenario::shipped_json_texts() {
            let value: Value = serde_json::from_str(&text).unwrap();
            if value.get("version").is_some() {
                out.push(value);
            }
        }
        out
    }

    #[test]
    fn every_altered_document_reads_as_serde_reads_it() {
        let hostile = hostile();
        let (mut read_count, mut errors) = (0, 0);
        for document in documents() {
            errors += same(&document);
            let mut all = Vec::new();
            places(&document, &mut Vec::new(), &mut all);
            for place in &all {
                for replacement in &hostile {
                    let mut altered = document.clone();
                    *at(&mut altered, place) = replacement.clone();
                    errors += same(&altered);
                    read_count += 1;
                }
                let original = at(&mut document.clone(), place).clone();
                if let Value::Object(map) = original {
                    for extra in ["aaa", "zzz", "Name"] {
                        let mut altered = document.clone();
                        at(&mut altered, place)[extra] = json!(1);
                        errors += same(&altered);
                    }
                    for key in map.keys() {
                        let mut altered = document.clone();
                        at(&mut altered, place).as_object_mut().unwrap().remove(key);
                        errors += same(&altered);
                    }
                    let values: Vec<Value> = map.values().cloned().collect();
                    for n in 0..=values.len().min(13) {
                        let mut altered = document.clone();
                        *at(&mut altered, place) = Value::Array(values[..n].to_vec());
                        errors += same(&altered);
                    }
                }
            }
        }
        // The alterations reach the errors they are meant to.
        assert!(
            read_count > 1000 && errors > read_count / 2,
            "{read_count} {errors}"
        );
    }

    /// Random edits need proptest, which is native only.
    #[cfg(not(target_arch = "wasm32"))]
    mod any_text {
        use super::*;
        use proptest::prelude::*;

        /// Texts of every kind for [`the_fast_read_agrees_with_the_long_way_on_any_text`]: a
        /// shipped document, written plainly or oddly, with a few edits at random places.
        fn edited_text() -> impl Strategy<Value = String> {
            let documents: Vec<String> = documents()
                .iter()
                .flat_map(|d| {
                    let mut odd = String::new();
                    oddly(d, &mut odd);
                    [d.to_string(), odd]
                })
                .collect();
            let piece = prop_oneof![
                Just(""),
                Just("{"),
                Just("}"),
                Just("["),
                Just("]"),
                Just(","),
                Just(":"),
                Just("\""),
                Just("\\"),
                Just("\\u0041"),
                Just("0"),
                Just("01"),
                Just("-"),
                Just(".5"),
                Just("e3"),
                Just(" "),
                Just("\u{1}"),
                Just("null"),
                Just("true"),
                Just("é"),
            ];
            let edit = (any::<prop::sample::Index>(), 0..4usize, piece);
            (
                prop::sample::select(documents),
                prop::collection::vec(edit, 1..4),
            )
                .prop_map(|(text, edits)| {
                    let mut chars: Vec<char> = text.chars().collect();
                    for (at, cut, piece) in edits {
                        let at = at.index(chars.len() + 1);
                        let end = (at + cut).min(chars.len());
                        chars.splice(at..end, piece.chars());
                    }
                    chars.into_iter().collect()
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            /// `from_json` reads a text the fast way when it can: it must then read what the long
            /// way reads, and the long way must have nothing to say.
            #[test]
            fn the_fast_read_agrees_with_the_long_way_on_any_text(text in edited_text()) {
                if let Some(fast) = read_text(&text) {
                    prop_assert_eq!(Ok(fast), from_json_tree(&text), "{}", text);
                }
            }
        }
    }

    #[test]
    fn messages_and_paths_are_serde_s() {
        let mut doc = serde_json::to_value(crate::scenario::default_scenario()).unwrap();
        doc["managedNodeGroups"][0]["desiredCapacity"] = json!("three");
        let (path, message) = read(doc.clone()).unwrap_err();
        assert_eq!(path, "managedNodeGroups[0].desiredCapacity");
        assert_eq!(message, "invalid type: string \"three\", expected u32");
        doc["managedNodeGroups"][0]["desiredCapacity"] = json!(2);
        doc["vpc"]["natGateways"] = json!("Many");
        let (path, message) = read(doc.clone()).unwrap_err();
        assert_eq!(path, "vpc.natGateways");
        assert_eq!(
            message,
            "unknown variant `Many`, expected one of `HighlyAvailable`, `OnePerAz`, `Single`, `Disable`"
        );
    }
}
