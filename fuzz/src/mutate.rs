//! The seeded engine's mutations: byte-level (flips, interesting bytes, deletions,
//! duplications, splices, dictionary tokens) and structure-aware (a JSON document's nodes
//! replaced, multiplied or removed; a link's JSON mutated and wrapped again), so mutated
//! documents stay readable often enough to reach the model.

use serde_json::{json, Value};

use crate::generate::HOSTILE_TEXT;
use crate::rng::Rng;
use crate::seeds::{json_of_link, link_of_json};

/// How a target's inputs are structured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Choices for a generator: bytes only.
    Bytes,
    /// A text document that is often JSON (JSON, YAML, SVG metadata).
    Text,
    /// A share link: its payload is unwrapped, mutated as JSON and wrapped again.
    Link,
}

/// Tokens worth inserting: the schema's keys, boundary numbers, CIDRs, flow places, and the
/// syntax of JSON, YAML, XML and links.
const DICTIONARY: &[&str] = &[
    "\"version\"",
    "\"vpc\"",
    "\"cidr\"",
    "\"secondaryCidrs\"",
    "\"subnets\"",
    "\"az\"",
    "\"public\"",
    "\"natGateways\"",
    "\"cluster\"",
    "\"ipFamily\"",
    "\"IPv6\"",
    "\"serviceIPv4CIDR\"",
    "\"serviceIPv6CIDR\"",
    "\"controlPlaneSubnets\"",
    "\"vpcCni\"",
    "\"prefixDelegation\"",
    "\"customNetworking\"",
    "\"podEni\"",
    "\"managedNodeGroups\"",
    "\"instanceType\"",
    "\"desiredCapacity\"",
    "\"maxPodsPerNode\"",
    "\"workloads\"",
    "\"replicas\"",
    "\"services\"",
    "\"ingresses\"",
    "\"flows\"",
    "\"securityGroups\"",
    "\"nodeStates\"",
    "\"topologySpreadConstraints\"",
    "\"requests\"",
    "\"cpu\"",
    "\"memory\"",
    "0",
    "-1",
    "1",
    "63",
    "64",
    "255",
    "256",
    "450",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "1e308",
    "1e309",
    "-0",
    "0.5",
    "65535",
    "65536",
    "5000",
    "5001",
    "150000",
    "\"10.0.0.0/16\"",
    "\"0.0.0.0/0\"",
    "\"10.0.0.0/32\"",
    "\"10.0.0.0/8\"",
    "\"::/0\"",
    "\"2001:db8::/56\"",
    "\"255.255.255.255/0\"",
    "\"100.64.0.0/10\"",
    "\"us-east-1a\"",
    "\"sg-00000000\"",
    "\"cluster\"",
    "\"internet\"",
    "\"kubectl\"",
    "\"apiserver\"",
    "\"pod/web\"",
    "\"service/web\"",
    "\"node/ng-1-1\"",
    "\"999999999999m\"",
    "\"1Ei\"",
    "null",
    "true",
    "[]",
    "{}",
    "\"\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\u202e\"",
    "\"\\u001b[2J\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\",
    "\n",
    "&a ",
    "*a",
    "<<: ",
    "!!binary ",
    "--- ",
    "? ",
    "%YAML 1.2\n",
    "!!str ",
    "- ",
    "|\n",
    ">-\n",
    "<metadata>",
    "</metadata>",
    "<![CDATA[",
    "]]>",
    "&amp;",
    "&#x0;",
    "&#1114112;",
    "&lt;",
    "#s=",
    "s=1.",
    "s=2.",
    "&s=",
    "%00",
    "%zz",
    "=",
    "&",
];

/// Strings a JSON node may become.
const STRINGS: &[&str] = &[
    "",
    "10.0.0.0/16",
    "10.0.0.0/28",
    "0.0.0.0/0",
    "::/0",
    "2001:db8::/56",
    "10.0.0.0/33",
    "us-east-1a",
    "us-west-2z",
    "sg-0123456789abcdef0",
    "all",
    "0-65535",
    "65535-1",
    "internet",
    "kubectl",
    "apiserver",
    "pod/app-0",
    "service/app-0",
    "ingress/app-0",
    "node/ng-0-1",
    "m5.large",
    "t3.nano",
    "p5.48xlarge",
    "Local",
    "Cluster",
    "DaemonSet",
    "LoadBalancer",
    "NoExecute",
    "Exists",
    "1.18.0",
    "0.0.1",
    "99.99.99",
];

/// One mutation of `input` (1 to 4 steps), at most `max_len` bytes long.
pub fn mutate(
    rng: &mut Rng,
    shape: Shape,
    input: &[u8],
    corpus: &[Vec<u8>],
    max_len: usize,
) -> Vec<u8> {
    let mut out = input.to_vec();
    if shape == Shape::Link && rng.one_in(2) {
        if let Some(json) = json_of_link(input) {
            let json = mutate(rng, Shape::Text, &json, &[], max_len * 8);
            let mut link = link_of_json(&json);
            if rng.one_in(4) {
                bytes_step(rng, &mut link, corpus);
            }
            link.truncate(max_len);
            return link;
        }
    }
    for _ in 0..1 + rng.below(4) {
        if shape != Shape::Bytes && rng.one_in(3) {
            if let Some(mutated) = json_step(rng, &out) {
                out = mutated;
                continue;
            }
        }
        bytes_step(rng, &mut out, corpus);
    }
    out.truncate(max_len);
    out
}

fn range(rng: &mut Rng, len: usize) -> (usize, usize) {
    if len == 0 {
        return (0, 0);
    }
    let start = rng.below(len);
    let max = (len - start).min(if rng.one_in(4) { len } else { 32 });
    (
        start,
        start + 1 + rng.below(max.max(1)).min(len - start - 1),
    )
}

fn bytes_step(rng: &mut Rng, out: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = out.len();
    let at = if len == 0 { 0 } else { rng.below(len + 1) };
    match rng.below(10) {
        0 if len > 0 => out[at.min(len - 1)] ^= 1 << rng.below(8),
        1 if len > 0 => out[at.min(len - 1)] = rng.next_u64() as u8,
        2 if len > 0 => {
            out[at.min(len - 1)] = *rng.pick(&[
                0u8, 0x7f, 0x80, 0xff, b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'0', b'9',
                b' ', b'\n', 0x1b, 0xc2, 0xe2,
            ]);
        }
        3 if len > 0 => {
            let (a, b) = range(rng, len);
            out.drain(a..b);
        }
        4 if len > 0 => {
            // Duplicate a range: documents grow, lists get long.
            let (a, b) = range(rng, len);
            let chunk = out[a..b].to_vec();
            let times = if rng.one_in(8) { 1 + rng.below(256) } else { 1 };
            for _ in 0..times {
                out.splice(at..at, chunk.iter().copied());
            }
        }
        5 | 6 => {
            let token = rng.pick(DICTIONARY).as_bytes();
            if rng.one_in(2) || len == 0 {
                out.splice(at..at, token.iter().copied());
            } else {
                let end = (at + token.len()).min(len);
                out.splice(at..end, token.iter().copied());
            }
        }
        7 if !corpus.is_empty() => {
            let other = rng.pick(corpus);
            let from = if other.is_empty() {
                0
            } else {
                rng.below(other.len())
            };
            out.truncate(at);
            out.extend_from_slice(&other[from..]);
        }
        8 if len > 0 => out.truncate(at),
        _ => {
            let n = 1 + rng.below(8);
            let bytes = rng.bytes(n);
            out.splice(at..at, bytes);
        }
    }
}

/// Every node of `value`, depth first, as JSON pointers.
fn pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// One structural change to `input` when it is JSON.
fn json_step(rng: &mut Rng, input: &[u8]) -> Option<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(input).ok()?;
    let mut all = Vec::new();
    pointers(&doc, String::new(), &mut all);
    let pointer = rng.pick(&all).clone();
    let node = doc.pointer_mut(&pointer)?;
    match rng.below(9) {
        0 => *node = json!(rng.pick(STRINGS)),
        1 => *node = json!(rng.pick(&HOSTILE_TEXT)),
        2 => {
            *node = match rng.below(8) {
                0 => json!(u64::MAX),
                1 => json!(-1),
                2 => json!(u32::MAX as u64 + 1),
                3 => json!(0),
                4 => json!(65536),
                5 => json!(0.5),
                6 => json!(5001),
                _ => json!(rng.below(1000)),
            }
        }
        3 => {
            *node = rng
                .pick(&[json!(null), json!(true), json!([]), json!({}), json!("")])
                .clone()
        }
        4 => {
            // Multiply a list: the valid-but-large documents.
            if let Value::Array(items) = node {
                if !items.is_empty() {
                    let times = *rng.pick(&[2usize, 10, 100, 1000]);
                    let copy = items.clone();
                    for _ in 1..times {
                        items.extend(copy.iter().cloned());
                    }
                }
            } else if let Value::String(s) = node {
                *s = s.repeat(*rng.pick(&[2usize, 64, 4096]));
            }
        }
        5 => {
            if let Value::Object(map) = node {
                let keys: Vec<String> = map.keys().cloned().collect();
                if !keys.is_empty() {
                    map.remove(rng.pick(&keys));
                }
            } else if let Value::Array(items) = node {
                if !items.is_empty() {
                    let i = rng.below(items.len());
                    items.remove(i);
                }
            }
        }
        6 => {
            if let Value::Object(map) = node {
                map.insert(
                    rng.pick(DICTIONARY).trim_matches('"').to_string(),
                    json!(rng.pick(STRINGS)),
                );
            }
        }
        7 => {
            if let Value::Number(n) = node {
                if let Some(v) = n.as_u64() {
                    *node = json!(v
                        .wrapping_add(1)
                        .wrapping_mul(*rng.pick(&[1u64, 2, 10, 1000])));
                }
            }
        }
        _ => {
            // Swap in another node of the same document.
            let other = rng.pick(&all).clone();
            if !other.starts_with(&pointer) {
                let value = doc.pointer(&other)?.clone();
                *doc.pointer_mut(&pointer)? = value;
            }
        }
    }
    Some(if rng.one_in(2) {
        serde_json::to_vec(&doc).ok()?
    } else {
        serde_json::to_vec_pretty(&doc).ok()?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutations_are_repeatable_and_bounded() {
        let seed = br#"{"version":1,"vpc":{"cidr":"10.0.0.0/16","subnets":[]}}"#;
        let run = || {
            let mut rng = Rng::new(3);
            (0..200)
                .map(|_| mutate(&mut rng, Shape::Text, seed, &[seed.to_vec()], 4096))
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        assert!(a.iter().all(|m| m.len() <= 4096));
        assert!(a.iter().any(|m| m != seed));
    }

    #[test]
    fn link_mutations_often_stay_links() {
        let link = link_of_json(br#"{"version":1}"#);
        let mut rng = Rng::new(5);
        let wrapped = (0..100)
            .filter(|_| json_of_link(&mutate(&mut rng, Shape::Link, &link, &[], 1 << 16)).is_some())
            .count();
        assert!(wrapped > 30, "{wrapped}");
    }
}
