//! Share links: round trips, links written by earlier builds, hostile links, zlib bombs, and
//! the `eksplain link` subcommand.
#![cfg(not(target_arch = "wasm32"))]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use eksplain::scenario::{
    decode_link, default_scenario, encode_link, encode_link_with, fragment_params, from_json,
    LinkError, Scenario, MAX_EXPANDED_BYTES, MAX_LINK_PAYLOAD_CHARS,
};
use flate2::write::ZlibEncoder;
use flate2::{Compress, Compression, FlushCompress};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn b64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

fn zlib(data: &[u8], level: Compression) -> Vec<u8> {
    let mut z = ZlibEncoder::new(Vec::new(), level);
    z.write_all(data).unwrap();
    z.finish().unwrap()
}

/// A zlib stream of stored (uncompressed) blocks, written by hand: much faster than the
/// compressor in a debug build.
fn stored_zlib(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        out.push(u8::from(chunks.peek().is_none()));
        let len = chunk.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    out.extend_from_slice(&(b << 16 | a).to_be_bytes());
    out
}

fn link_of_bytes(zlib_bytes: &[u8]) -> String {
    format!("#s=1.{}", b64(zlib_bytes))
}

// ---------------------------------------------------------------------------------------------
// Round trips

#[test]
fn the_default_scenario_link_is_short_and_round_trips() {
    let s = default_scenario();
    let link = encode_link(&s);
    assert!(link.starts_with("#s=1."), "{link}");
    assert!(link.len() <= 400, "{} characters: {link}", link.len());
    assert_eq!(decode_link(&link).unwrap(), s);
}

#[test]
fn every_static_scenario_round_trips() {
    let dir = root().join("static/scenarios");
    let mut seen = 0;
    // Scenarios sit in static/scenarios and its gallery/; gallery.json is the gallery's index.
    let gallery = std::fs::read_dir(dir.join("gallery")).into_iter().flatten();
    for entry in std::fs::read_dir(&dir).unwrap().chain(gallery) {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json")
            || path.ends_with("gallery.json")
        {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = from_json(&text).unwrap_or_else(|p| panic!("{}: {p:?}", path.display()));
        let link = encode_link(&scenario);
        assert_eq!(
            decode_link(&link).as_ref(),
            Ok(&scenario),
            "{}",
            path.display()
        );
        let url = format!("https://x.github.io/eksplain/embed.html?theme=dark{link}&flow=a->b");
        assert_eq!(decode_link(&url).as_ref(), Ok(&scenario));
        seen += 1;
    }
    assert!(seen >= 1, "no scenario in {}", dir.display());
}

#[test]
fn extra_state_rides_along_and_is_read_back() {
    let s = default_scenario();
    let link = encode_link_with(&s, &[("flow", "internet->service/web"), ("sel", "a b")]);
    assert_eq!(decode_link(&link).unwrap(), s);
    let params = fragment_params(&format!("https://h/eksplain/{link}"));
    assert_eq!(params.len(), 3);
    assert_eq!(params[0].0, "s");
    assert_eq!(
        params[1],
        ("flow".to_string(), "internet->service/web".to_string())
    );
    assert_eq!(params[2], ("sel".to_string(), "a b".to_string()));
}

mod random_scenarios {
    use super::*;
    use eksplain::scenario::*;
    use proptest::collection::{btree_map, vec};
    use proptest::option;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// Strings that have broken encoders elsewhere, and the defaults the JSON leaves out.
    const HOSTILE: &[&str] = &[
        "",
        "\0",
        "\"",
        "\\",
        "\\u0000",
        "&s=2.x#y",
        "%41%",
        "#",
        "=",
        "+/",
        "\u{202e}rtl",
        "🦀🦀",
        "a\nb\r\tc",
        "\u{feff}",
        "\u{fffd}",
        "\u{10ffff}",
        "\u{2028}",
        "default",
        "demo",
        "/",
        "null",
        "0.0.0.0/0",
        "1.18.0",
        "</script><script>alert(1)</script>",
        "{\"version\":2}",
    ];

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-z][a-z0-9-]{0,12}",
            2 => any::<String>(),
            2 => prop::sample::select(HOSTILE).prop_map(String::from),
            1 => "\\PC{0,40}",
        ]
    }

    fn texts() -> impl Strategy<Value = Vec<String>> {
        vec(text(), 0..3)
    }

    fn map() -> impl Strategy<Value = BTreeMap<String, String>> {
        btree_map(text(), text(), 0..3)
    }

    fn small_u32() -> impl Strategy<Value = u32> {
        prop_oneof![0u32..5, any::<u32>()]
    }

    fn taint_effect() -> impl Strategy<Value = TaintEffect> {
        prop_oneof![
            Just(TaintEffect::NoSchedule),
            Just(TaintEffect::PreferNoSchedule),
            Just(TaintEffect::NoExecute)
        ]
    }

    fn scheme() -> impl Strategy<Value = Scheme> {
        prop_oneof![Just(Scheme::Internal), Just(Scheme::InternetFacing)]
    }

    fn target_type() -> impl Strategy<Value = TargetType> {
        prop_oneof![Just(TargetType::Instance), Just(TargetType::Ip)]
    }

    fn traffic_policy() -> impl Strategy<Value = TrafficPolicy> {
        prop_oneof![Just(TrafficPolicy::Cluster), Just(TrafficPolicy::Local)]
    }

    fn subnet() -> impl Strategy<Value = Subnet> {
        (text(), text(), text(), any::<bool>(), map()).prop_map(|(name, az, cidr, public, tags)| {
            Subnet {
                name,
                az,
                cidr,
                public,
                tags,
            }
        })
    }

    fn vpc() -> impl Strategy<Value = Vpc> {
        (
            text(),
            texts(),
            vec(subnet(), 0..4),
            prop_oneof![
                Just(NatGatewayMode::HighlyAvailable),
                Just(NatGatewayMode::Single),
                Just(NatGatewayMode::Disable)
            ],
        )
            .prop_map(|(cidr, secondary_cidrs, subnets, nat_gateways)| Vpc {
                cidr,
                secondary_cidrs,
                subnets,
                nat_gateways,
            })
    }

    fn vpc_cni() -> impl Strategy<Value = VpcCni> {
        (
            text(),
            any::<bool>(),
            map(),
            any::<bool>(),
            any::<bool>(),
            prop_oneof![Just(EnforcingMode::Strict), Just(EnforcingMode::Standard)],
            prop_oneof![Just(Some(1)), Just(None), option::of(small_u32())],
            option::of(small_u32()),
            option::of(small_u32()),
            option::of(small_u32()),
        )
            .prop_map(
                |(
                    version,
                    prefix_delegation,
                    custom_networking,
                    external_snat,
                    pod_eni,
                    pod_security_group_enforcing_mode,
                    warm_eni_target,
                    warm_ip_target,
                    minimum_ip_target,
                    warm_prefix_target,
                )| VpcCni {
                    version,
                    prefix_delegation,
                    custom_networking,
                    external_snat,
                    pod_eni,
                    pod_security_group_enforcing_mode,
                    warm_eni_target,
                    warm_ip_target,
                    minimum_ip_target,
                    warm_prefix_target,
                },
            )
    }

    fn cluster() -> impl Strategy<Value = ClusterSpec> {
        prop_oneof![
            1 => Just(ClusterSpec::default()),
            3 => (
                text(),
                prop_oneof![Just(IpFamily::IPv4), Just(IpFamily::IPv6)],
                (option::of(text()), option::of(text())),
                (any::<bool>(), any::<bool>()),
                prop_oneof![Just(vec!["0.0.0.0/0".to_string()]), texts()],
                texts(),
                vpc_cni(),
            )
                .prop_map(
                    |(name, ip_family, (service_ipv4_cidr, service_ipv6_cidr), (public_access, private_access), public_access_cidrs, control_plane_subnets, vpc_cni)| {
                        ClusterSpec {
                            name,
                            ip_family,
                            service_ipv4_cidr,
                            service_ipv6_cidr,
                            cluster_endpoints: ClusterEndpoints {
                                public_access,
                                private_access,
                            },
                            public_access_cidrs,
                            control_plane_subnets,
                            vpc_cni,
                        }
                    },
                ),
        ]
    }

    fn node_group() -> impl Strategy<Value = NodeGroup> {
        (
            text(),
            text(),
            small_u32(),
            texts(),
            map(),
            vec(
                (text(), text(), taint_effect()).prop_map(|(key, value, effect)| Taint {
                    key,
                    value,
                    effect,
                }),
                0..2,
            ),
            option::of(small_u32()),
        )
            .prop_map(
                |(name, instance_type, desired_capacity, subnets, labels, taints, max_pods)| {
                    NodeGroup {
                        name,
                        instance_type,
                        desired_capacity,
                        subnets,
                        labels,
                        taints,
                        max_pods_per_node: max_pods,
                    }
                },
            )
    }

    fn toleration() -> impl Strategy<Value = Toleration> {
        (
            option::of(text()),
            prop_oneof![
                Just(TolerationOperator::Equal),
                Just(TolerationOperator::Exists)
            ],
            option::of(text()),
            option::of(taint_effect()),
        )
            .prop_map(|(key, operator, value, effect)| Toleration {
                key,
                operator,
                value,
                effect,
            })
    }

    fn workload() -> impl Strategy<Value = Workload> {
        (
            (
                text(),
                text(),
                prop_oneof![
                    Just(WorkloadKind::Deployment),
                    Just(WorkloadKind::DaemonSet)
                ],
                small_u32(),
                map(),
                (option::of(text()), option::of(text()))
                    .prop_map(|(cpu, memory)| Requests { cpu, memory }),
            ),
            (
                map(),
                vec(toleration(), 0..2),
                vec(
                    (
                        small_u32(),
                        text(),
                        prop_oneof![
                            Just(WhenUnsatisfiable::DoNotSchedule),
                            Just(WhenUnsatisfiable::ScheduleAnyway)
                        ],
                    )
                        .prop_map(
                            |(max_skew, topology_key, when_unsatisfiable)| {
                                TopologySpreadConstraint {
                                    max_skew,
                                    topology_key,
                                    when_unsatisfiable,
                                }
                            },
                        ),
                    0..2,
                ),
                texts(),
                any::<bool>(),
                prop_oneof![Just(8080u16), any::<u16>()],
            ),
        )
            .prop_map(
                |(
                    (name, namespace, kind, replicas, labels, requests),
                    (
                        node_selector,
                        tolerations,
                        topology_spread_constraints,
                        security_groups,
                        host_network,
                        container_port,
                    ),
                )| Workload {
                    name,
                    namespace,
                    kind,
                    replicas,
                    labels,
                    requests,
                    node_selector,
                    tolerations,
                    topology_spread_constraints,
                    security_groups,
                    host_network,
                    container_port,
                },
            )
    }

    fn service() -> impl Strategy<Value = Service> {
        let port = (
            option::of(text()),
            any::<u16>(),
            option::of(any::<u16>()),
            prop_oneof![Just(Protocol::TCP), Just(Protocol::UDP)],
            option::of(any::<u16>()),
        )
            .prop_map(
                |(name, port, target_port, protocol, node_port)| ServicePort {
                    name,
                    port,
                    target_port,
                    protocol,
                    node_port,
                },
            );
        let load_balancer = (
            prop_oneof![Just(LoadBalancerKind::Nlb), Just(LoadBalancerKind::Clb)],
            option::of(prop_oneof![
                Just(LoadBalancerController::AwsLoadBalancerController),
                Just(LoadBalancerController::InTree)
            ]),
            target_type(),
            option::of(scheme()),
            any::<bool>(),
            option::of(any::<bool>()),
            vec(text(), 0..3),
        )
            .prop_map(
                |(
                    kind,
                    controller,
                    target_type,
                    scheme,
                    cross_zone,
                    preserve_client_ip,
                    subnets,
                )| {
                    LoadBalancerSpec {
                        kind,
                        controller,
                        target_type,
                        scheme,
                        cross_zone,
                        preserve_client_ip,
                        subnets,
                    }
                },
            );
        (
            text(),
            text(),
            map(),
            prop_oneof![
                Just(ServiceType::ClusterIP),
                Just(ServiceType::NodePort),
                Just(ServiceType::LoadBalancer)
            ],
            vec(port, 0..3),
            traffic_policy(),
            traffic_policy(),
            option::of(load_balancer),
        )
            .prop_map(
                |(
                    name,
                    namespace,
                    selector,
                    service_type,
                    ports,
                    external_traffic_policy,
                    internal_traffic_policy,
                    load_balancer,
                )| Service {
                    name,
                    namespace,
                    selector,
                    service_type,
                    ports,
                    external_traffic_policy,
                    internal_traffic_policy,
                    load_balancer,
                },
            )
    }

    fn ingress() -> impl Strategy<Value = Ingress> {
        let rule = (option::of(text()), text(), text(), any::<u16>()).prop_map(
            |(host, path, service, port)| IngressRule {
                host,
                path,
                service,
                port,
            },
        );
        (
            text(),
            text(),
            option::of(text()),
            scheme(),
            target_type(),
            vec(rule, 0..3),
            vec(text(), 0..3),
        )
            .prop_map(
                |(name, namespace, group_name, scheme, target_type, rules, subnets)| Ingress {
                    name,
                    namespace,
                    group_name,
                    scheme,
                    target_type,
                    rules,
                    subnets,
                },
            )
    }

    fn scenario() -> impl Strategy<Value = Scenario> {
        (
            text(),
            vpc(),
            cluster(),
            vec(node_group(), 0..3),
            vec(workload(), 0..3),
            vec(service(), 0..3),
            vec(ingress(), 0..2),
            vec(
                (text(), text()).prop_map(|(from, to)| Flow { from, to }),
                0..3,
            ),
        )
            .prop_map(
                |(
                    name,
                    vpc,
                    cluster,
                    managed_node_groups,
                    workloads,
                    services,
                    ingresses,
                    flows,
                )| {
                    // Node states name nodes of the first group, when there is one.
                    let node_states = managed_node_groups
                        .first()
                        .map(|g| {
                            [(
                                format!("{}-1", g.name),
                                eksplain::scenario::NodeState::Failed,
                            )]
                            .into_iter()
                            .collect()
                        })
                        .unwrap_or_default();
                    Scenario {
                        version: CURRENT_VERSION,
                        description: name.chars().rev().collect(),
                        name,
                        vpc,
                        cluster,
                        managed_node_groups,
                        workloads,
                        services,
                        ingresses,
                        flows,
                        security_groups: Vec::new(),
                        node_states,
                    }
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn every_scenario_survives_its_link(s in scenario()) {
            let link = encode_link(&s);
            prop_assert!(link.starts_with("#s=1."));
            prop_assert!(link[5..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(decode_link(&link), Ok(s.clone()));
            let url = format!("https://x.github.io/eksplain/{link}&flow=internet->service/web");
            prop_assert_eq!(decode_link(&url), Ok(s));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Links written by earlier builds

/// The fixtures: `tests/fixtures/links/v<format>-<name>.txt` (a link, a URL or a fragment) and
/// the scenario it must decode to, `v<format>-<name>.json`. Never edit or regenerate them: a
/// published link has to open forever. Add new ones when a format is added.
fn fixtures() -> Vec<(PathBuf, PathBuf)> {
    let dir = root().join("tests/fixtures/links");
    let mut found: Vec<(PathBuf, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("txt"))
        .map(|txt| {
            let json = txt.with_extension("json");
            (txt, json)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn links_from_earlier_builds_decode_to_the_same_scenario_forever() {
    let fixtures = fixtures();
    let names: Vec<String> = fixtures
        .iter()
        .map(|(t, _)| t.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for expected in ["v1-default", "v1-larger", "v1-unicode", "v2-scale-3"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    for (txt, json) in &fixtures {
        let link = std::fs::read_to_string(txt).unwrap();
        let expected = from_json(&std::fs::read_to_string(json).unwrap())
            .unwrap_or_else(|p| panic!("{}: {p:?}", json.display()));
        assert_eq!(
            decode_link(&link).as_ref(),
            Ok(&expected),
            "{}",
            txt.display()
        );
    }
}

#[test]
fn the_default_fixture_is_the_default_scenario() {
    let link = std::fs::read_to_string(root().join("tests/fixtures/links/v1-default.txt")).unwrap();
    assert_eq!(decode_link(&link).unwrap(), default_scenario());
}

// ---------------------------------------------------------------------------------------------
// Hostile links

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Decodes `text` and fails with the input if that panics.
fn decode_quietly(text: &str) -> Result<Scenario, LinkError> {
    match std::panic::catch_unwind(|| decode_link(text)) {
        Ok(result) => result,
        Err(_) => {
            let shown: String = text.chars().take(300).collect();
            panic!("decode panicked on {} chars: {shown:?}", text.len());
        }
    }
}

/// The valid links the mutations start from, with their zlib streams and their scenarios'
/// compact JSON.
fn seeds() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut scenarios = vec![default_scenario()];
    for (txt, _) in fixtures() {
        scenarios.push(decode_link(&std::fs::read_to_string(txt).unwrap()).unwrap());
    }
    scenarios
        .iter()
        .map(|s| (s, encode_link(s)))
        // A generated scenario's link (`s=2.scale.<n>`) has no zlib stream to mutate.
        .filter(|(_, link)| link.starts_with("#s=1."))
        .map(|(s, link)| {
            let bytes = b64_decode(&link[5..]);
            (link, bytes, serde_json::to_vec(s).unwrap())
        })
        .collect()
}

#[test]
fn a_hundred_thousand_hostile_links_never_panic() {
    const TOTAL: usize = 100_000;
    let seeds = seeds();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut count = 0;
    let mut ok = 0;

    // Every valid link cut at every length, as text and as bytes of its zlib stream.
    for (link, bytes, _) in &seeds {
        for cut in 0..link.len() {
            assert!(decode_quietly(&link[..cut]).is_err(), "{}", &link[..cut]);
            count += 1;
        }
        for cut in 0..bytes.len() {
            assert!(decode_quietly(&link_of_bytes(&bytes[..cut])).is_err());
            count += 1;
        }
    }

    let specials = b"&#=%.s1-_A+/ \0\xc3\xa9";
    while count < TOTAL {
        let (link, bytes, json) = rng.pick(&seeds).clone();
        // Cheap kinds more often than those that inflate or parse a whole scenario.
        let text = match rng.below(16) {
            // Random bytes, as text.
            0..=2 => {
                let n = rng.below(300);
                let body = String::from_utf8_lossy(&rng.bytes(n)).into_owned();
                if rng.below(2) == 0 {
                    format!("#s=1.{body}")
                } else {
                    body
                }
            }
            // Random base64.
            3..=5 => {
                let n = rng.below(600);
                let body: String = (0..n).map(|_| char::from(*rng.pick(B64))).collect();
                format!("#s=1.{body}")
            }
            // Random bytes behind a valid zlib header: the inflater reads on.
            6..=7 => {
                let n = rng.below(300);
                let mut bytes = vec![0x78, *rng.pick(&[0x01, 0x5e, 0x9c, 0xda])];
                bytes.extend(rng.bytes(n));
                link_of_bytes(&bytes)
            }
            // Bit flips in a valid stream.
            8..=9 => {
                let mut bytes = bytes;
                for _ in 0..1 + rng.below(4) {
                    let at = rng.below(bytes.len());
                    bytes[at] ^= 1 << rng.below(8);
                }
                link_of_bytes(&bytes)
            }
            // Characters of a valid link replaced, inserted or removed.
            10..=11 => {
                let mut bytes = link.into_bytes();
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(bytes.len());
                    let c = *rng.pick(specials);
                    match rng.below(3) {
                        0 => bytes[at] = c,
                        1 => bytes.insert(at, c),
                        _ => {
                            bytes.remove(at);
                        }
                    }
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
            // A well-formed stream of damaged JSON: exercises the JSON reader.
            12..=13 => {
                let mut json = json;
                for _ in 0..1 + rng.below(3) {
                    let at = rng.below(json.len());
                    match rng.below(3) {
                        0 => json[at] = *rng.pick(b"{}[]\",:0 a\\\xff"),
                        1 => json.truncate(at),
                        _ => json.insert(at, rng.next() as u8),
                    }
                    if json.is_empty() {
                        break;
                    }
                }
                link_of_bytes(&stored_zlib(&json))
            }
            // Random fragments of pairs.
            14 => {
                let mut out = String::from(*rng.pick(&["", "#", "https://h/p?x=1#", "s="]));
                for _ in 0..rng.below(6) {
                    let key = *rng.pick(&["s", "S", "flow", "", "s ", "%73"]);
                    let version = rng.pick(&["1", "2", "0", "", "01", "4294967296", "-1", "1e3"]);
                    let body: String = (0..rng.below(40))
                        .map(|_| char::from(*rng.pick(B64)))
                        .collect();
                    out.push_str(&format!("{key}={version}.{body}&"));
                }
                out
            }
            // A valid link with padding, whitespace or extra pairs around it.
            _ => {
                let pad = *rng.pick(&["", "=", "==", "===", " ", "\n", "&", "&&s=2.x", "#"]);
                format!(
                    "{}{link}{pad}",
                    rng.pick(&["", " ", "x", "https://h/#", "##"])
                )
            }
        };
        if decode_quietly(&text).is_ok() {
            ok += 1;
        }
        count += 1;
    }
    assert!(count >= TOTAL);
    // Some of the last kind decode; random input essentially never does.
    assert!(ok > 0 && ok < TOTAL / 10, "{ok} decoded");
}

#[test]
fn huge_links_are_refused_before_decoding() {
    let chars = |n: usize| "A".repeat(n);
    for n in [MAX_LINK_PAYLOAD_CHARS + 1, 10 * 1024 * 1024] {
        let err = decode_quietly(&format!("#s=1.{}", chars(n))).unwrap_err();
        assert_eq!(
            err,
            LinkError::TooLong {
                chars: n,
                max: MAX_LINK_PAYLOAD_CHARS
            }
        );
        assert!(err
            .to_string()
            .starts_with("the link's scenario is too large"));
    }
    // A payload at the cap is decoded (and found damaged: it is not zlib).
    assert!(matches!(
        decode_quietly(&format!("#s=1.{}", chars(MAX_LINK_PAYLOAD_CHARS))),
        Err(LinkError::Damaged(_))
    ));
    for text in [
        format!("#s={}.x", "9".repeat(1 << 20)),
        "&".repeat(1 << 20),
        "#".repeat(1 << 20),
        "%".repeat(1 << 20),
        "=".repeat(1 << 20),
        "s=1.".repeat(1 << 18),
        format!("#{}s=1.AAAA", "x=1&".repeat(1 << 18)),
    ] {
        assert!(decode_quietly(&text).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Zlib bombs

/// A zlib stream of `mib` MiB of zeros, built without compressing them all: the deflate output
/// for one MiB of zeros after a sync flush repeats exactly, so the middle is one block copied.
fn zero_bomb(mib: usize) -> Vec<u8> {
    let chunk = vec![0u8; 1 << 20];
    fn piece(z: &mut Compress, input: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 << 20);
        let before = z.total_in();
        z.compress_vec(input, &mut out, flush).unwrap();
        assert_eq!(z.total_in() - before, input.len() as u64);
        out
    }
    let mut z = Compress::new(Compression::best(), true);
    let first = piece(&mut z, &chunk, FlushCompress::Sync);
    let second = piece(&mut z, &chunk, FlushCompress::Sync);
    let third = piece(&mut z, &chunk, FlushCompress::Sync);
    assert_eq!(second, third, "the steady state repeats");
    let mut tail = piece(&mut z, &[], FlushCompress::Finish);
    // Adler-32 of n zero bytes: a = 1, b = n mod 65521.
    let n = (mib as u64) << 20;
    let adler = ((n % 65521) << 16 | 1) as u32;
    let len = tail.len();
    tail[len - 4..].copy_from_slice(&adler.to_be_bytes());
    let mut bomb = first;
    for _ in 1..mib {
        bomb.extend_from_slice(&second);
    }
    bomb.extend_from_slice(&tail);
    bomb
}

#[test]
fn stored_streams_are_genuine() {
    let s = default_scenario();
    let json = serde_json::to_vec(&s).unwrap();
    assert_eq!(decode_quietly(&link_of_bytes(&stored_zlib(&json))), Ok(s));
    for len in [0, 1, 0xffff, 0x10000, 200_000] {
        let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(&stored_zlib(&data)[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data, "{len}");
    }
}

#[test]
fn the_bomb_builder_builds_genuine_streams() {
    let bomb = zero_bomb(5);
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(&bomb[..])
        .read_to_end(&mut out)
        .unwrap();
    assert_eq!(out.len(), 5 << 20);
    assert!(out.iter().all(|&b| b == 0));
}

#[test]
fn zlib_bombs_are_refused_as_too_large() {
    // 300 MiB of zeros in ~300 KB: longer than any link decoded, refused unread.
    let big = zero_bomb(300);
    assert!(big.len() < 360 * 1024, "{}", big.len());
    let err = decode_quietly(&link_of_bytes(&big)).unwrap_err();
    assert!(matches!(err, LinkError::TooLong { .. }), "{err}");
    assert!(err
        .to_string()
        .starts_with("the link's scenario is too large"));

    // 64 MiB in ~64 KB fits the link cap; inflating stops after MAX_EXPANDED_BYTES + 1 bytes
    // (the buffer is bounded by construction, see `inflate_bounded`).
    let small = zero_bomb(64);
    let link = link_of_bytes(&small);
    assert!(link.len() - 5 <= MAX_LINK_PAYLOAD_CHARS, "{}", link.len());
    let err = decode_quietly(&link).unwrap_err();
    assert_eq!(
        err,
        LinkError::TooLarge {
            max: MAX_EXPANDED_BYTES
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the link's scenario is too large: more than {MAX_EXPANDED_BYTES} bytes once expanded"
        )
    );

    // A scenario padded to exactly the cap still opens; one byte more does not.
    let json = serde_json::to_string(&default_scenario()).unwrap();
    let at_cap = format!("{json}{}", " ".repeat(MAX_EXPANDED_BYTES - json.len()));
    let fast = Compression::fast();
    assert_eq!(
        decode_quietly(&link_of_bytes(&zlib(at_cap.as_bytes(), fast))),
        Ok(default_scenario())
    );
    let over = format!("{at_cap} ");
    assert_eq!(
        decode_quietly(&link_of_bytes(&zlib(over.as_bytes(), fast))),
        Err(LinkError::TooLarge {
            max: MAX_EXPANDED_BYTES
        })
    );
}

// ---------------------------------------------------------------------------------------------
// The CLI

fn eksplain(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run eksplain");
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eksplain-link-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn cli_link_prints_the_fragment() {
    let o = eksplain(&["link", "static/scenarios/default.json"], "");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out, format!("{}\n", encode_link(&default_scenario())));
    assert!(out.starts_with("#s=1."));
    let o = eksplain(
        &["link", "-"],
        &eksplain::scenario::to_json(&default_scenario()),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), out);
}

#[test]
fn cli_link_decode_prints_the_scenario() {
    let fragment = encode_link(&default_scenario());
    for text in [
        fragment.clone(),
        format!("https://x.github.io/eksplain/{fragment}&flow=internet->service/web"),
        fragment[1..].to_string(),
    ] {
        let o = eksplain(&["link", "--decode", &text], "");
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(from_json(&stdout(&o)), Ok(default_scenario()));
    }
    let o = eksplain(&["link", "--decode", "-"], &format!("{fragment}\n"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(from_json(&stdout(&o)), Ok(default_scenario()));
}

#[test]
fn cli_bad_links_exit_1() {
    let invalid = link_of_bytes(&zlib(
        br#"{"version":1,"vpc":{"cidr":3}}"#,
        Compression::fast(),
    ));
    for (link, message) in [
        ("#s=1.AAAA", "the link is truncated or damaged"),
        (
            "#s=7.eJx",
            "the link's format `s=7` is newer than this eksplain understands",
        ),
        (
            "https://x.github.io/eksplain/",
            "the link carries no scenario",
        ),
        (
            &invalid,
            "the link's scenario is invalid: vpc.cidr: invalid type",
        ),
    ] {
        let o = eksplain(&["link", "--decode", link], "");
        assert_eq!(o.status.code(), Some(1), "{link}: {}", stderr(&o));
        assert!(stderr(&o).contains(message), "{link}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"));
        assert!(stdout(&o).is_empty());
    }
    let bad = temp_file("bad.json", r#"{"version": 1, "vpc": {"cidr": 3}}"#);
    let o = eksplain(&["link", path_str(&bad)], "");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("vpc.cidr"), "{}", stderr(&o));
}

#[test]
fn cli_link_usage_errors_exit_2() {
    for args in [
        &["link"][..],
        &["link", "a.json", "--decode", "#s=1.x"],
        &["link", "--decode"],
        &["link", "no/such/file.json"],
    ] {
        let o = eksplain(args, "");
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
}
