//! [`scenario`]: a structure-aware generator that turns any bytes into a scenario document
//! built to validate, and to be big: many subnets, secondary CIDRs up to and past the VPC
//! quota, node groups near EKS's limits, many workloads, Services, Ingresses, security groups
//! and flows, and hostile text (control characters, ESC sequences, bidi overrides, C1
//! controls, very long strings) wherever the document takes free text.
//!
//! Each size is drawn from a short list of counts that sit at or next to a documented limit
//! (the VPC's 5 and 50 CIDR blocks, 200 subnets, 450 nodes a group, 5,000 nodes, 63-character
//! names), so a run spends its time where the bugs are. A few choices (one in 16 or so)
//! deliberately step outside what validates: a subnet outside the VPC, a duplicate name, a
//! node count over the limit, so that the refusals are exercised at scale too.

use serde_json::{json, Map, Value};

use crate::source::Source;

/// Availability zones, in one region.
const AZS: [&str; 6] = [
    "us-east-1a",
    "us-east-1b",
    "us-east-1c",
    "us-east-1d",
    "us-east-1e",
    "us-east-1f",
];

const INSTANCE_TYPES: [&str; 10] = [
    "m5.large",
    "m5.xlarge",
    "m5.2xlarge",
    "m6i.2xlarge",
    "c5.large",
    "t3.medium",
    "t3.small",
    "r5.4xlarge",
    "m5.24xlarge",
    "t3.nano",
];

/// Free text that must come out of every output safely: terminal escapes, bidi overrides, C1
/// controls, characters XML forbids, a lone surrogate's replacement, combining marks, and
/// markup.
pub const HOSTILE_TEXT: [&str; 12] = [
    "demo\u{1b}]0;PWNED\u{7}\u{1b}[2J",
    "evil\u{202e}gnp.exe",
    "nul\u{0}byte",
    "c1\u{9b}31mred",
    "tab\tand\nnewline\r",
    "</title><script>alert(1)</script>",
    "]]></metadata><metadata>",
    "\u{feff}bom\u{200b}zero\u{2066}isolate\u{2069}",
    "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}combining",
    "\u{fffd}\u{fffe}\u{ffff}",
    "&amp;&lt;&#x0;&#1;",
    "🧨💥 emoji and 漢字",
];

/// Counts that sit on or next to a limit worth testing. `at[k]` is picked with a weight
/// falling off with `k`, so small documents stay the most common.
fn count(src: &mut Source, at: &[u32]) -> u32 {
    // The first half of the list is common, the rest rare.
    let i = if src.one_in(4) {
        src.below(at.len() as u32)
    } else {
        src.below(at.len().div_ceil(2) as u32)
    };
    at[i as usize]
}

/// A name that validates: letters, digits and `-`, sometimes exactly 63 characters long.
fn plain_name(src: &mut Source, prefix: &str, i: u32) -> String {
    let base = format!("{prefix}-{i}");
    if src.one_in(16) {
        let mut long = base;
        while long.len() < 63 {
            long.push('x');
        }
        long.truncate(63);
        long
    } else {
        base
    }
}

/// Free text: plain most of the time, else hostile or long.
fn free_text(src: &mut Source, plain: &str) -> String {
    match src.below(8) {
        0 => src.pick(&HOSTILE_TEXT).to_string(),
        1 => {
            let a = src.pick(&HOSTILE_TEXT);
            let b = src.pick(&HOSTILE_TEXT);
            format!("{plain} {a}{b}").repeat(1 + src.below(40) as usize)
        }
        _ => plain.to_string(),
    }
}

/// A whole scenario document from `data`.
pub fn scenario(data: &[u8]) -> Value {
    let mut src = Source::new(data);
    let src = &mut src;
    let ipv6 = src.one_in(8);
    let azs = &AZS[..src.range(2, 6) as usize];

    // Secondary CIDRs: 10.1.0.0/16 onwards, then 100.64.0.0/16 onwards (all /16s that a
    // 10.0.0.0/16 VPC may add). 5 is the default quota, 50 the adjustable maximum.
    let n_secondary = count(src, &[0, 1, 4, 0, 5, 49, 50, 51, 200]);
    let secondary: Vec<String> = (0..n_secondary)
        .map(|i| {
            if i < 255 {
                format!("10.{}.0.0/16", i + 1)
            } else {
                format!("100.{}.0.0/16", 64 + (i - 255) % 64)
            }
        })
        .collect();

    // Subnets: /24s in the primary CIDR (public ones first), /20s in the secondary CIDRs.
    let n_primary = count(src, &[6, 3, 4, 12, 64, 199, 200, 201, 256]);
    let n_public = 1 + src.below(n_primary / 2);
    let mut subnets = Vec::new();
    let mut private_names = Vec::new();
    for i in 0..n_primary {
        let name = plain_name(src, if i < n_public { "public" } else { "private" }, i);
        let az = azs[(i as usize) % azs.len()];
        let cidr = format!("10.0.{}.0/24", i % 256);
        let mut subnet = json!({ "name": name, "az": az, "cidr": cidr });
        if i < n_public {
            subnet["public"] = json!(true);
        } else {
            private_names.push((name.clone(), az));
        }
        subnets.push(subnet);
    }
    let mut pod_subnets: Vec<(String, &str)> = Vec::new();
    let n_secondary_subnets = src.below(n_secondary.min(48) * 2 + 1);
    for j in 0..n_secondary_subnets {
        let block = j / 2;
        let name = format!("pods-{j}");
        let az = azs[(j as usize) % azs.len()];
        let cidr = secondary[block as usize].replace(".0.0/16", &format!(".{}.0/20", (j % 2) * 16));
        subnets.push(json!({ "name": name, "az": az, "cidr": cidr }));
        pod_subnets.push((name, az));
    }
    if src.one_in(32) {
        // Subnets outside the VPC: refused, with messages that must stay short however many
        // CIDRs the VPC has.
        for k in 0..count(src, &[1, 3, 50, 2000]) {
            subnets.push(json!({ "name": format!("stray-{k}"), "az": azs[0], "cidr": format!("192.168.{}.{}/28", (k / 16) % 256, (k % 16) * 16) }));
        }
    }

    let mut vpc_cni = Map::new();
    // IPv6 clusters need prefix delegation.
    vpc_cni.insert("prefixDelegation".into(), json!(ipv6 || src.one_in(3)));
    vpc_cni.insert("externalSnat".into(), json!(src.one_in(4)));
    let pod_eni = src.one_in(4);
    vpc_cni.insert("podEni".into(), json!(pod_eni));
    if !pod_subnets.is_empty() && src.one_in(2) {
        let mut custom = Map::new();
        for (name, az) in &pod_subnets {
            custom.entry(az.to_string()).or_insert(json!(name));
        }
        vpc_cni.insert("customNetworking".into(), Value::Object(custom));
    }
    if src.one_in(4) {
        vpc_cni.insert("warmIpTarget".into(), json!(src.below(64)));
        vpc_cni.insert("minimumIpTarget".into(), json!(src.below(256)));
    }
    if src.one_in(6) {
        vpc_cni.insert("warmPrefixTarget".into(), json!(src.below(8)));
    }

    let control_plane: Vec<String> = private_names
        .iter()
        .take(src.range(2, 6) as usize)
        .map(|(n, _)| n.clone())
        .collect();
    let mut cluster = json!({
        "name": free_text(src, "demo"),
        "ipFamily": if ipv6 { "IPv6" } else { "IPv4" },
        "clusterEndpoints": {
            "publicAccess": !src.one_in(4),
            "privateAccess": src.one_in(2),
        },
        "controlPlaneSubnets": control_plane,
        "vpcCni": Value::Object(vpc_cni),
    });
    if src.one_in(4) {
        // Each service CIDR field belongs to one IP family.
        if ipv6 {
            cluster["serviceIPv6CIDR"] = json!("fd30:1c53:5f8a::/108");
        } else {
            cluster["serviceIPv4CIDR"] = json!("172.20.0.0/16");
        }
    }
    if src.one_in(4) {
        let n = count(src, &[1, 2, 40, 41]);
        cluster["publicAccessCIDRs"] = json!((0..n)
            .map(|i| format!("203.0.{}.0/24", i % 256))
            .collect::<Vec<_>>());
    }

    // Node groups: up to 450 nodes each (EKS's default quota), 5,000 in all (the model's).
    let n_groups = count(src, &[1, 2, 3, 10, 30, 100]);
    let mut groups = Vec::new();
    let mut total_nodes = 0;
    for g in 0..n_groups {
        let want = count(src, &[3, 1, 0, 10, 100, 450, 451, 5000]);
        let cap = if src.one_in(16) { 5001 } else { 5000 };
        let desired = want.min(cap - total_nodes.min(cap));
        total_nodes += desired;
        let mut group = json!({
            "name": plain_name(src, "ng", g),
            "instanceType": src.pick(&INSTANCE_TYPES),
            "desiredCapacity": desired,
            "subnets": private_names
                .iter()
                .skip(src.below(private_names.len() as u32) as usize)
                .take(1 + src.below(4) as usize)
                .map(|(n, _)| n.clone())
                .collect::<Vec<_>>(),
        });
        if src.one_in(3) {
            group["labels"] = json!({ "role": format!("r{}", g % 4), "team": "a" });
        }
        if src.one_in(5) {
            group["taints"] = json!([{ "key": "dedicated", "value": "x", "effect": *src.pick(&["NoSchedule", "PreferNoSchedule", "NoExecute"]) }]);
        }
        if src.one_in(6) {
            group["maxPodsPerNode"] = json!(src.range(1, 250));
        }
        groups.push(group);
    }

    // Security groups (referenced by workloads when pod ENIs are on).
    let n_sgs = count(src, &[0, 1, 3, 60, 61]);
    let sg_ids: Vec<String> = (0..n_sgs)
        .map(|i| format!("sg-{:08x}", 0x0ab0_0000 + i))
        .collect();
    let security_groups: Vec<Value> = sg_ids
        .iter()
        .map(|id| {
            let rules = count(src, &[1, 0, 2, 60, 61]);
            json!({
                "id": id,
                "ingress": (0..rules).map(|r| json!({
                    "protocol": *src.pick(&["tcp", "udp"]),
                    "ports": if r % 3 == 0 { "all".to_string() } else { format!("{}", 1 + r * 7) },
                    "from": if r % 2 == 0 { "10.0.0.0/16".to_string() } else { sg_ids[r as usize % sg_ids.len()].clone() },
                })).collect::<Vec<_>>(),
            })
        })
        .collect();

    // Workloads, one Service for most of them, an Ingress for some.
    let n_workloads = count(src, &[2, 0, 5, 40, 200, 1000]);
    let mut workloads = Vec::new();
    let mut services = Vec::new();
    let mut ingresses = Vec::new();
    for w in 0..n_workloads {
        let name = plain_name(src, "app", w);
        let daemon = src.one_in(10);
        let mut workload = json!({
            "name": name,
            "replicas": count(src, &[2, 1, 0, 10, 100, 1000]),
        });
        if daemon {
            workload["kind"] = json!("DaemonSet");
        }
        if src.one_in(3) {
            workload["requests"] = json!({ "cpu": *src.pick(&["100m", "250m", "1", "2500m"]), "memory": *src.pick(&["64Mi", "256Mi", "1Gi"]) });
        }
        if src.one_in(6) {
            workload["nodeSelector"] = json!({ "role": format!("r{}", w % 4) });
        }
        if src.one_in(6) {
            workload["tolerations"] = json!([{ "key": "dedicated", "operator": "Exists" }]);
        }
        if src.one_in(6) {
            workload["topologySpreadConstraints"] = json!([{ "maxSkew": src.range(1, 3), "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": *src.pick(&["DoNotSchedule", "ScheduleAnyway"]) }]);
        }
        if pod_eni && !sg_ids.is_empty() && src.one_in(3) {
            workload["securityGroups"] = json!([sg_ids[w as usize % sg_ids.len()]]);
        }
        if src.one_in(12) {
            workload["hostNetwork"] = json!(true);
        }
        workloads.push(workload);
        if src.one_in(4) {
            continue;
        }
        let kind = *src.pick(&["ClusterIP", "NodePort", "LoadBalancer", "ClusterIP"]);
        let mut service = json!({
            "name": name,
            "selector": { "app": name },
            "type": kind,
            "ports": [{ "port": 80, "targetPort": 8080 }],
        });
        if kind != "ClusterIP" && src.one_in(2) {
            service["externalTrafficPolicy"] = json!("Local");
        }
        if kind == "LoadBalancer" && src.one_in(2) {
            service["loadBalancer"] = json!({
                "kind": *src.pick(&["nlb", "clb"]),
                "targetType": *src.pick(&["instance", "ip"]),
                "scheme": *src.pick(&["internal", "internet-facing"]),
                "crossZone": src.one_in(2),
            });
        }
        services.push(service);
        if src.one_in(5) {
            let mut ingress = json!({
                "name": name,
                "scheme": *src.pick(&["internal", "internet-facing"]),
                "targetType": *src.pick(&["instance", "ip"]),
                "rules": [{ "path": "/", "service": name, "port": 80 }],
            });
            if src.one_in(2) {
                ingress["groupName"] = json!(format!("group-{}", w % 3));
            }
            ingresses.push(ingress);
        }
    }

    // Flows between every kind of place.
    // Flows between every kind of place, naming only places that exist.
    let n_flows = count(src, &[3, 0, 10, 100, 500]);
    let names = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .filter_map(|v| v["name"].as_str().map(String::from))
            .collect()
    };
    let (pods, svcs, ings) = (names(&workloads), names(&services), names(&ingresses));
    let nodes: Vec<String> = groups
        .iter()
        .filter(|g| g["desiredCapacity"].as_u64().unwrap_or(0) > 0)
        .filter_map(|g| g["name"].as_str().map(|n| format!("node/{n}-1")))
        .collect();
    let mut flows = Vec::new();
    for f in 0..n_flows as usize {
        let pick = |list: &[String], k: usize, kind: &str| {
            list.get(k % list.len().max(1)).map(|n| {
                if kind.is_empty() {
                    n.clone()
                } else {
                    format!("{kind}/{n}")
                }
            })
        };
        let pod = pick(&pods, f, "pod");
        let other = pick(&pods, f * 7 + 1, "pod");
        let flow = match src.below(10) {
            0 => Some("internet".to_string()).zip(pick(&svcs, f, "service")),
            1 => pod.zip(other),
            2 => pod.zip(Some("internet".into())),
            3 => pick(&nodes, f, "").zip(Some("apiserver".into())),
            5 => Some("internet".to_string()).zip(pick(&ings, f, "ingress")),
            6 => pod.zip(pick(&svcs, f + 1, "service")),
            7 => Some("apiserver".to_string()).zip(pod),
            8 => pod.zip(Some("apiserver".into())),
            9 => pick(&nodes, f, "").zip(other),
            _ => None,
        };
        let (from, to) = flow.unwrap_or(("kubectl".into(), "apiserver".into()));
        flows.push(json!({ "from": from, "to": to }));
    }

    let mut node_states = Map::new();
    for g in 0..src.below(4) {
        node_states.insert(
            format!("ng-{g}-1"),
            json!(*src.pick(&["Cordoned", "Drained", "Failed"])),
        );
    }

    let mut doc = json!({
        "version": 1,
        "name": free_text(src, "generated"),
        "vpc": {
            "cidr": "10.0.0.0/16",
            "secondaryCidrs": secondary,
            "subnets": subnets,
            "natGateways": *src.pick(&["HighlyAvailable", "Single", "Disable"]),
        },
        "cluster": cluster,
        "managedNodeGroups": groups,
        "workloads": workloads,
        "services": services,
        "ingresses": ingresses,
        "flows": flows,
        "securityGroups": security_groups,
        "nodeStates": Value::Object(node_states),
    });
    if src.one_in(2) {
        doc["description"] = json!(free_text(src, "a generated cluster"));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use eksplain::scenario::from_value;

    #[test]
    fn empty_input_gives_a_small_valid_scenario() {
        let scenario = from_value(scenario(&[])).expect("the scenario reads");
        if let Err(problems) = eksplain::model::build(&scenario) {
            panic!("{problems:?}");
        }
    }

    #[test]
    fn most_inputs_give_scenarios_that_build() {
        let mut rng = crate::rng::Rng::new(11);
        let mut built = 0;
        let mut refusals = Vec::new();
        let tries = 40;
        for _ in 0..tries {
            let data = rng.bytes(64);
            let problems = match from_value(scenario(&data)) {
                Ok(s) => match eksplain::model::build(&s) {
                    Ok(_) => {
                        built += 1;
                        continue;
                    }
                    Err(p) => p,
                },
                Err(p) => p,
            };
            refusals.push(
                problems[0]
                    .to_string()
                    .chars()
                    .take(160)
                    .collect::<String>(),
            );
        }
        assert!(
            built * 2 > tries,
            "only {built} of {tries} generated scenarios build; refused:\n{}",
            refusals.join("\n")
        );
    }
}
