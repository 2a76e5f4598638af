//! [`read`]: a parsed JSON tree into a [`Scenario`], by hand, with the messages and paths
//! serde's derived `Deserialize` gives over `tree_reader` (`invalid type: string "three",
//! expected u32` at `managedNodeGroups[0].desiredCapacity`, `unknown field ...`,
//! `missing field ...`, `unknown variant ...`).
//!
//! Why by hand: the derived code is one large generic visitor per type (a map visitor, a
//! sequence visitor and an identifier visitor each), ≈ 120 KB of the wasm before wasm-opt.
//! Here a struct is a loop over a non-generic field matcher and an enum is a table, so each
//! type costs a few hundred bytes. The unit tests read thousands of altered documents both ways
//! and require the same result.

use std::collections::BTreeMap;

use serde::de::{Error as _, Unexpected};
use serde_json::Value;

use super::document::*;
use super::read_error::{invalid_type, unexpected, Error, Segment};

/// Reads `value` as a scenario; on the first error, its path (dotted fields, `[i]` indexes;
/// empty for the document itself) and serde's message. The tree is taken apart as it is read:
/// its strings and maps move into the scenario rather than being copied, and what is left of
/// it is freed on the way.
pub fn read(value: Value) -> Result<Scenario, (String, String)> {
    Scenario::read(value).map_err(|e| (e.path(), e.message))
}

/// A type read from a JSON tree.
trait Read: Sized {
    fn read(value: Value) -> Result<Self, Error>;
}

impl Read for String {
    fn read(value: Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(invalid_type(&other, "a string")),
        }
    }
}

impl Read for bool {
    fn read(value: Value) -> Result<Self, Error> {
        match value {
            Value::Bool(b) => Ok(b),
            other => Err(invalid_type(&other, "a boolean")),
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

impl Read for u32 {
    fn read(value: Value) -> Result<Self, Error> {
        unsigned(&value, u64::from(u32::MAX), "u32").map(|n| n as u32)
    }
}

impl Read for u16 {
    fn read(value: Value) -> Result<Self, Error> {
        unsigned(&value, u64::from(u16::MAX), "u16").map(|n| n as u16)
    }
}

impl<T: Read> Read for Option<T> {
    fn read(value: Value) -> Result<Self, Error> {
        match value {
            Value::Null => Ok(None),
            other => T::read(other).map(Some),
        }
    }
}

impl<T: Read> Read for Vec<T> {
    fn read(value: Value) -> Result<Self, Error> {
        let Value::Array(items) = value else {
            return Err(invalid_type(&value, "a sequence"));
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            out.push(T::read(item).map_err(|e| e.at(Segment::Index(i)))?);
        }
        Ok(out)
    }
}

impl<T: Read> Read for BTreeMap<String, T> {
    fn read(value: Value) -> Result<Self, Error> {
        let Value::Object(map) = value else {
            return Err(invalid_type(&value, "a map"));
        };
        // The entries come in key order: collected, they build the map in one pass rather
        // than one search and insertion each.
        let mut out = Vec::with_capacity(map.len());
        for (key, item) in map {
            match T::read(item) {
                Ok(item) => out.push((key, item)),
                Err(e) => return Err(e.at(Segment::Field(key))),
            }
        }
        Ok(out.into_iter().collect())
    }
}

/// Reads a struct's fields as they come, handing each to `set` with its index in `names`: an
/// object's entries in order (serde's map visitor; an unknown one is an error), or a list's
/// items, one per field in declaration order (serde's sequence visitor). An error from `set`
/// gets the field's segment. `expecting` is serde's name for the struct (`struct Vpc`). Returns
/// whether `value` was an object, for [`missing`].
#[inline(never)]
fn read_fields(
    value: Value,
    expecting: &'static str,
    names: &'static [&'static str],
    set: &mut dyn FnMut(usize, Value) -> Result<(), Error>,
) -> Result<bool, Error> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let Some(i) = names.iter().position(|name| *name == key) else {
                    return Err(Error::unknown_field(&key, names).at(Segment::Field(key)));
                };
                if let Err(e) = set(i, value) {
                    return Err(e.at(Segment::Field(key)));
                }
            }
            Ok(true)
        }
        Value::Array(items) => {
            for (i, value) in items.into_iter().take(names.len()).enumerate() {
                set(i, value).map_err(|e| e.at(Segment::Index(i)))?;
            }
            Ok(false)
        }
        other => Err(invalid_type(&other, expecting)),
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
            fn read(value: Value) -> Result<Self, Error> {
                const NAMES: &[&str] = &[$($name),*];
                $(let mut $field = None;)*
                let _object = read_fields(value, $expecting, NAMES, &mut |i, value| {
                    match i {
                        $($i => $field = Some(Read::read(value)?),)*
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

/// An enum of unit variants: `"name" => Variant` per name serde accepts, in serde's order.
macro_rules! read_enum {
    ($ty:ident { $($name:literal => $variant:ident),* $(,)? }) => {
        impl Read for $ty {
            fn read(value: Value) -> Result<Self, Error> {
                const NAMES: &[&str] = &[$($name),*];
                const VALUES: &[$ty] = &[$($ty::$variant),*];
                variant(&value, NAMES).map(|i| VALUES[i])
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
    use super::*;
    use serde_json::json;

    /// Both readers on one document: the same scenario, or the same path and message.
    fn same(value: &Value) -> usize {
        let ours = read(value.clone());
        let serde = super::super::tree_reader::read::<Scenario>(value);
        assert_eq!(ours, serde, "{value}");
        usize::from(ours.is_err())
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
