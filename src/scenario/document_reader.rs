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
//! in between (a 4 MiB link's tree cost twice its reading). serde reads the tree, whose objects
//! hold each key once (the last one written) in sorted order, and stops at the first error; so
//! an object here is read to its end, an error being dropped when a later entry of the same key
//! reads, and the object's error is that of its least key. A message that quotes a value is
//! written from that value alone ([`Pending`]). What serde would say first of the document
//! itself (invalid JSON, its nesting, its version, a long string) is the caller's to check,
//! whenever the text did not read cleanly ([`Fast`]). [`read`] reads a tree, written back as
//! text.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::de::{Error as _, Unexpected};
use serde_json::Value;

use super::document::*;
use super::json_cursor::Cursor;
use super::limits::{DESCRIPTION_MAX, MAX_STRING_CHARS};
use super::read_error::{invalid_type, unexpected, Error, Pending, Segment};

/// What [`read_text`] made of a text.
pub enum Fast {
    /// The scenario, read cleanly: valid JSON with nothing for serde or the checks to say.
    Sure(Scenario),
    /// The scenario, or the first error serde would name (its path and message), unless the
    /// checks of the document itself say something first: something in the text did not read
    /// (an error, maybe replaced by a later entry of the same key), or it has another version
    /// or more after its end.
    Unsure(Result<Scenario, (String, String)>),
    /// Not read: the text is not JSON as far as it was read, or holds what only the tree is
    /// read with care for (a struct written as a list, a string long enough for the checks).
    Stopped,
}

/// Reads the user's JSON `text` as a scenario (see [`Fast`]).
pub fn read_text(text: &str) -> Fast {
    let mut cursor = Cursor::new(text, true);
    match Scenario::read(&mut cursor) {
        Err(e) if e.is_stop() => Fast::Stopped,
        Err(e) => Fast::Unsure(Err(written(
            e.resolve(|_, at, pending| say(&value_at(text, at), pending)),
        ))),
        Ok(s) if !cursor.erred && cursor.at_end() && s.version == CURRENT_VERSION => Fast::Sure(s),
        Ok(s) => Fast::Unsure(Ok(s)),
    }
}

/// Reads `value` as a scenario; on the first error, its path (dotted fields, `[i]` indexes;
/// empty for the document itself) and serde's message.
pub fn read(value: Value) -> Result<Scenario, (String, String)> {
    let text = value.to_string();
    Scenario::read(&mut Cursor::new(&text, false))
        .map_err(|e| written(e.resolve(|path, _, pending| say(value_in(&value, path), pending))))
}

/// The error's path and message.
fn written(e: Error) -> (String, String) {
    (e.path(), e.message)
}

/// The value starting at byte `at` of `text`, as serde_json reads it (`null` when it does not).
fn value_at(text: &str, at: usize) -> Value {
    let mut c = Cursor::new(text, false);
    c.seek(at);
    let end = c.skip().map(|()| c.offset()).unwrap_or(at);
    text.get(at..)
        .and_then(|rest| rest.get(..end - at))
        .and_then(|value| super::json_tree::parse(value).ok())
        .map_or(Value::Null, |(value, _)| value)
}

/// The value at `path` (innermost step first) in `root`.
fn value_in<'v>(root: &'v Value, path: &[Segment]) -> &'v Value {
    let mut value = root;
    for segment in path.iter().rev() {
        let next = match segment {
            Segment::Field(name) => value.get(name),
            Segment::Index(i) => value.get(i),
        };
        value = next.unwrap_or(&Value::Null);
    }
    value
}

/// The message of a [`Pending`] error, from the value it is about.
fn say(value: &Value, pending: Pending) -> Error {
    let said = match pending {
        Pending::Type(expected) => Err(invalid_type(value, expected)),
        Pending::Unsigned(max, expected) => unsigned(value, max, expected).map(|_| ()),
        Pending::Variant(names) => variant(value, names).map(|_| ()),
    };
    said.err().unwrap_or_else(Error::stop)
}

/// The errors of an object's entries as they are read: an entry's error replaces the error of
/// an earlier entry with the same key, or drops it when the entry reads (the last of a key is
/// the one in the tree); the object's error is that of its least key, the first serde meets.
/// (In text written from a tree, keys come once each and in order: the first error is that.)
#[derive(Default)]
struct Failures(Vec<(String, Error)>);

/// More errors in one object than this stop the read: the tree is read instead, rather than
/// each entry of a hostile object being compared with as many errors.
const MANY_FAILURES: usize = 16;

impl Failures {
    /// Notes how the value of `key`, which starts at `start`, read (needed only when it did not
    /// or an error is noted); after an error, the cursor moves on past the value. A stop stops.
    fn note(
        &mut self,
        c: &mut Cursor,
        key: &str,
        start: usize,
        read: Result<(), Error>,
    ) -> Result<(), Error> {
        if let Some(i) = self.0.iter().position(|(k, _)| k == key) {
            self.0.swap_remove(i);
        }
        match read {
            Ok(()) => Ok(()),
            Err(e) if e.is_stop() => Err(e),
            Err(e) if !c.raw => Err(e.at(Segment::Field(key.to_owned()))),
            Err(_) if self.0.len() == MANY_FAILURES => Err(Error::stop()),
            Err(e) => {
                c.erred = true;
                c.seek(start);
                c.skip()?;
                self.0.push((key.to_owned(), e));
                Ok(())
            }
        }
    }

    /// The error of the least key, with its segment.
    fn first(mut self) -> Result<(), Error> {
        let Some(mut least) = (!self.0.is_empty()).then_some(0) else {
            return Ok(());
        };
        for i in 1..self.0.len() {
            if self.0[i].0 < self.0[least].0 {
                least = i;
            }
        }
        let (key, e) = self.0.swap_remove(least);
        Err(e.at(Segment::Field(key)))
    }
}

/// A type read from JSON text.
trait Read: Sized {
    fn read(c: &mut Cursor) -> Result<Self, Error>;

    /// A list to collect the entries of a map of these in, given back when the map is read.
    fn entries(_: &mut Cursor) -> Vec<(String, Self)> {
        Vec::new()
    }

    fn give_back(_: &mut Cursor, _: Vec<(String, Self)>) {}

    /// Puts a map's entries, whose keys came as `keys`, in key order, or leaves them.
    fn arrange<'t>(_: &mut Cursor<'t>, _: &[&'t str], _: &mut Vec<(String, Self)>) {}
}

impl Read for String {
    fn read(c: &mut Cursor) -> Result<Self, Error> {
        match c.peek() {
            Some(b'"') => c.string().map(|s| s.into_owned()),
            _ => Err(Error::pending(Pending::Type("a string"), c.offset())),
        }
    }

    /// The cursor's own list: a document of many maps of strings allocates it once.
    fn entries(c: &mut Cursor) -> Vec<(String, String)> {
        std::mem::take(&mut c.pairs)
    }

    fn give_back(c: &mut Cursor, entries: Vec<(String, String)>) {
        c.pairs = entries;
    }

    /// Maps of strings are the many ones (labels, selectors): their key order is remembered
    /// (when all their keys are slices of the text).
    fn arrange<'t>(c: &mut Cursor<'t>, keys: &[&'t str], entries: &mut Vec<(String, String)>) {
        c.order.arrange(keys, entries);
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
            Err(Error::pending(Pending::Type("a boolean"), c.offset()))
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
    let at = c.offset();
    match c.unsigned() {
        Some(n) if n <= max => Ok(n),
        _ => Err(Error::pending(Pending::Unsigned(max, expected), at)),
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
            return Err(Error::pending(Pending::Type("a sequence"), c.offset()));
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
            return Err(Error::pending(Pending::Type("a map"), c.offset()));
        }
        c.bump();
        // Collected, then built in one pass (sorted, a repeated key keeping its last value
        // as in the tree) rather than one search and insertion each. The lists are the
        // cursor's, taken (a map inside this one would get lists of its own).
        let mut entries = T::entries(c);
        let mut keys = std::mem::take(&mut c.keys);
        let read = read_entries(c, &mut entries, &mut keys).map(|()| {
            T::arrange(c, &keys, &mut entries);
            entries.drain(..).collect()
        });
        entries.clear();
        T::give_back(c, entries);
        keys.clear();
        c.keys = keys;
        read
    }
}

/// The entries of the object the cursor is in, read into `entries`, with their keys in `keys`
/// when they are slices of the text (see [`Failures`]).
fn read_entries<'t, T: Read>(
    c: &mut Cursor<'t>,
    entries: &mut Vec<(String, T)>,
    keys: &mut Vec<&'t str>,
) -> Result<(), Error> {
    let mut failures = Failures::default();
    let mut first = true;
    while let Some(key) = c.key(&mut first)? {
        let start = c.offset();
        match T::read(c) {
            Ok(item) => {
                if !failures.0.is_empty() {
                    failures.note(c, &key, start, Ok(()))?;
                }
                if let Cow::Borrowed(key) = key {
                    keys.push(key);
                }
                entries.push((key.into_owned(), item));
            }
            Err(e) => failures.note(c, &key, start, Err(e))?,
        }
    }
    failures.first()
}

/// Reads a struct's fields, handing each to `set` with its index in `names`: an object's
/// entries (serde's map visitor; an unknown one is an error; see [`Failures`] for the order of
/// errors and repeated keys), or a list's items, one per field in declaration order (serde's
/// sequence visitor; a read of the user's text stops there, for the tree to be read instead).
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
            let mut failures = Failures::default();
            let mut first = true;
            while let Some(key) = c.key(&mut first)? {
                let start = c.offset();
                let read = match names.iter().position(|name| *name == key) {
                    None => Err(Error::unknown_field(&key, names)),
                    Some(i) => {
                        if root && key == "description" {
                            c.max = DESCRIPTION_MAX;
                        }
                        let read = set(i, c);
                        c.max = MAX_STRING_CHARS;
                        read
                    }
                };
                if read.is_err() || !failures.0.is_empty() {
                    failures.note(c, &key, start, read)?;
                }
            }
            failures.first()?;
            Ok(true)
        }
        Some(b'[') if c.raw => Err(Error::stop()),
        Some(b'[') => {
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
        _ => Err(Error::pending(Pending::Type(expecting), c.offset())),
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

/// The variant here, as [`variant`] reads it: a name, or anything else (`{"Variant": null}`
/// among them) read as [`variant`] reads its value.
#[inline(never)]
fn read_variant(c: &mut Cursor, names: &'static [&'static str]) -> Result<usize, Error> {
    let next = c.peek();
    let at = c.offset();
    if next == Some(b'"') {
        let name = c.string()?;
        return (names.iter().position(|n| *n == name))
            .ok_or_else(|| Error::unknown_variant(&name, names));
    }
    // The message, if any, comes from the value where the error is resolved: from the tree
    // when there is one, whose numbers are not always those of the text written from it.
    c.skip()?;
    variant(&value_at(c.text(), at), names).map_err(|_| Error::pending(Pending::Variant(names), at))
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
    use super::super::parse::{check_version, from_json, from_json_tree};
    use super::super::problem::{Path, Problem};
    use super::*;
    use serde_json::json;

    /// Both readers on one document: the same scenario, or the same path and message. And the
    /// document as text, written oddly: `from_json` reads it as the long way does, which parses
    /// it to `value` and, after the version, reads that as `read` does.
    fn same(value: &Value) -> usize {
        let ours = read(value.clone());
        let serde = super::super::tree_reader::read::<Scenario>(value);
        assert_eq!(ours, serde, "{value}");
        let mut odd = String::new();
        oddly(value, true, &mut odd);
        let long_way = check_version(value).and_then(|()| {
            let problem = |(path, message): (String, String)| {
                vec![Problem::new(Path::from(path.as_str()), message)]
            };
            ours.clone().map_err(problem)
        });
        assert_eq!(from_json(&odd), long_way, "{odd}");
        usize::from(ours.is_err())
    }

    /// `value` as JSON written as nobody writes it, though serde_json reads it the same: keys
    /// backwards, every `o` escaped, whitespace of all kinds, and entries written twice, the
    /// second replacing the first: numbers, booleans and lists with another value of their
    /// type, and, when `wrong`, every other entry with a value that fits nothing.
    fn oddly(value: &Value, wrong: bool, out: &mut String) {
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
                    let decoy = match item {
                        _ if wrong && i % 2 == 1 => r#"{"decoy": [0]}"#,
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
                    oddly(item, wrong, out);
                }
                out.push_str(" }");
            }
            Value::Array(items) => {
                out.push_str("[ ");
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" ,\t");
                    }
                    oddly(item, wrong, out);
                }
                out.push_str("\n]");
            }
            Value::String(s) => string(s, out),
            other => out.push_str(&other.to_string()),
        }
    }

    /// The text read cleanly, to what the long way reads.
    fn sure(text: &str) -> bool {
        match read_text(text) {
            Fast::Sure(scenario) => Ok(scenario) == from_json_tree(text),
            _ => false,
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
            oddly(&document, false, &mut odd);
            for text in [
                document.to_string(),
                serde_json::to_string_pretty(&document).unwrap(),
                odd,
            ] {
                assert!(sure(&text), "{text}");
            }
        }
        // A repeated key keeps its last value, in a map as in a struct.
        let mut doc = serde_json::to_value(crate::scenario::default_scenario()).unwrap();
        doc["workloads"] = json!([{"name": "w", "replicas": 2, "labels": {"z": "z"}}]);
        let text = doc.to_string().replacen(
            r#""labels":{"z""#,
            r#""labels":{"app":"first","app":"last","z""#,
            1,
        );
        let text = text.replacen(r#""replicas":"#, r#""replicas":7,"replicas":"#, 1);
        assert!(sure(&text));
        let Ok(read) = from_json(&text) else {
            panic!("{text}")
        };
        assert_eq!(read.workloads[0].labels["app"], "last");
        assert_eq!(read.workloads[0].replicas, 2);
    }

    #[test]
    fn what_does_not_read_cleanly_is_read_as_the_long_way_reads_it() {
        let mut doc = serde_json::to_value(crate::scenario::default_scenario()).unwrap();
        doc["workloads"] = json!([{"name": "w", "replicas": 2}]);
        let text = doc.to_string();
        let many: Vec<String> = (0..=MANY_FAILURES)
            .map(|i| format!(r#""{i}":{i}"#))
            .collect();
        let many = many.join(",");
        let cases = [
            // Only the long way reads these: a string long in bytes (the check counts
            // characters), a struct given as a list.
            text.replace(r#""name":"w""#, &format!(r#""name":"{}""#, "é".repeat(600))),
            text.replace(r#"{"name":"w","replicas":2}"#, r#"["w"]"#),
            // What is said of the document itself comes first: its version, its JSON (after
            // the error, or after its end), its nesting.
            text.replace(r#""replicas":2"#, r#""replicas":"2""#)
                .replacen(r#""version":1"#, r#""version":2"#, 1),
            text.replace(r#""replicas":2"#, r#""replicas":"2","x":[1,]"#),
            format!("{text} x"),
            text.replace(
                r#""replicas":2"#,
                r#""replicas":[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]"#,
            ),
            text.replace(r#""replicas":2"#, r#""replicas":"2","x":"\ud800""#),
            // Errors in the tree's order: the least key first, a repeated key's last value.
            text.replace(r#""replicas":2"#, r#""replicas":"2","namespace":3"#),
            text.replace(r#""replicas":2"#, r#""replicas":"2","replicas":3"#),
            text.replace(r#""replicas":2"#, r#""replicas":3,"replicas":"2""#),
            text.replace(
                r#""replicas":2"#,
                r#""replicas":1.5,"kind":{"DaemonSet":1}"#,
            ),
            text.replace(
                r#""replicas":2"#,
                r#""labels":{"b":1,"a":[],"b":"b","a":{}}"#,
            ),
            // So many errors in one object that the tree is read instead.
            text.replace(r#""replicas":2"#, &format!(r#""labels":{{{many}}}"#)),
        ];
        let stops = |text: &str| matches!(read_text(text), Fast::Stopped);
        assert!(stops(&cases[0]) && stops(&cases[1]) && stops(&cases[cases.len() - 1]));
        for text in cases {
            assert!(!sure(&text), "{text}");
            assert_eq!(from_json(&text), from_json_tree(&text), "{text}");
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

        /// Texts of every kind for [`from_json_agrees_with_the_long_way_on_any_text`]: a
        /// shipped document, written plainly or oddly, with a few edits at random places.
        fn edited_text() -> impl Strategy<Value = String> {
            let documents: Vec<String> = documents()
                .iter()
                .flat_map(|d| {
                    let (mut odd, mut wrong) = (String::new(), String::new());
                    oddly(d, false, &mut odd);
                    oddly(d, true, &mut wrong);
                    [d.to_string(), odd, wrong]
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
            /// `from_json` reads what the long way reads, and says what it says.
            #[test]
            fn from_json_agrees_with_the_long_way_on_any_text(text in edited_text()) {
                prop_assert_eq!(from_json(&text), from_json_tree(&text), "{}", text);
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
