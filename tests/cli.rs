//! The `eksplain` binary end to end: exit statuses, messages, JSON shape.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_accepts_the_default_scenario() {
    let o = eksplain(&["check", "static/scenarios/default.json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("valid — 6 subnets, 3 nodes"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn check_lists_every_problem_with_its_path() {
    let o = eksplain(&["check", "tests/fixtures/invalid.json"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for line in [
        "vpc.subnets[1].cidr: 10.0.0.128/25 overlaps subnet public-a (10.0.0.0/24)",
        "vpc.subnets[2].cidr: 10.0.16.0/29 is a /29; a subnet CIDR must be between /16 and /28",
        "vpc.subnets[3].cidr: 10.1.0.0/24 is outside the VPC's CIDRs (10.0.0.0/16)",
        "managedNodeGroups[0].instanceType: `m5.huge` is not a known EC2 instance type; did you mean",
        "4 problems found",
    ] {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(eksplain(&[]).status.code(), Some(2));
    assert_eq!(eksplain(&["frobnicate"]).status.code(), Some(2));
    let o = eksplain(&["check", "no/such/file.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot read no/such/file.json"));
}

#[test]
fn garbage_input_is_a_message_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("eksplain-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (i, text) in [
        "",
        "{",
        "[]",
        "null",
        "{\"version\":1}",
        "\u{feff}{}",
        "{\"version\":1,\"vpc\":{\"cidr\":\"é/99\"}}",
    ]
    .iter()
    .enumerate()
    {
        let f = dir.join(format!("{i}.json"));
        std::fs::write(&f, text).unwrap();
        let o = eksplain(&["check", f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "input {text:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    let f = dir.join("binary.json");
    std::fs::write(&f, [0xff, 0xfe, 0x00]).unwrap();
    assert_eq!(
        eksplain(&["check", f.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

#[test]
fn describe_json_has_the_documented_shape() {
    let o = eksplain(&["describe", "static/scenarios/default.json", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3);
    let n = &nodes[0];
    assert_eq!(n["name"], "ng-1-1");
    assert_eq!(n["az"], "us-east-1a");
    assert_eq!(n["subnet"], "private-a");
    assert_eq!(n["instanceType"], "m5.large");
    // 10.0.16.4 went to the EKS control plane's cross-account ENI, created before any node.
    assert_eq!(n["primaryIp"], "10.0.16.5");
    let eni = &n["enis"][0];
    assert_eq!(eni["id"], "ng-1-1/eth0");
    assert_eq!(eni["subnet"], "private-a");
    assert_eq!(eni["primaryIp"], "10.0.16.5");
    assert_eq!(eni["ips"].as_array().unwrap().len(), 9);
    assert_eq!(eni["ips"][0], "10.0.16.6");
    let subnets = v["subnets"].as_array().unwrap();
    assert_eq!(subnets.len(), 6);
    let private_a = subnets.iter().find(|s| s["name"] == "private-a").unwrap();
    assert_eq!(private_a["cidr"], "10.0.16.0/20");
    assert_eq!(
        (
            private_a["total"].as_u64(),
            private_a["used"].as_u64(),
            private_a["free"].as_u64()
        ),
        (Some(4096), Some(21), Some(4070))
    );
    let public_a = subnets.iter().find(|s| s["name"] == "public-a").unwrap();
    assert_eq!(
        (
            public_a["total"].as_u64(),
            public_a["used"].as_u64(),
            public_a["free"].as_u64()
        ),
        (Some(256), Some(1), Some(250))
    );
}

#[test]
fn yaml_carries_the_same_document() {
    let yaml = eksplain(&["describe", "tests/fixtures/default.yaml", "--json"]);
    let json = eksplain(&["describe", "static/scenarios/default.json", "--json"]);
    assert_eq!(yaml.status.code(), Some(0), "{}", stderr(&yaml));
    assert_eq!(stdout(&yaml), stdout(&json));
    let bad = eksplain(&["check", "tests/fixtures/bad.yaml"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("managedNodeGroups[0].desiredCapacity"),
        "{}",
        stderr(&bad)
    );
    let dir = std::env::temp_dir().join(format!("eksplain-yaml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // An alias bomb is refused, not expanded.
    let bomb = dir.join("bomb.yaml");
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..20 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("l{}", i - 1)
        };
        text.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    std::fs::write(&bomb, text).unwrap();
    let o = eksplain(&["check", bomb.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::Read;
    // A cluster big enough that describe writes far more than a pipe buffer holds.
    let mut s = eksplain::scenario::default_scenario();
    s.managed_node_groups[0].desired_capacity = 200;
    let dir = std::env::temp_dir().join(format!("eksplain-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("big.json");
    std::fs::write(&file, eksplain::scenario::to_json(&s)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(["describe", file.to_str().unwrap(), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap(); // then the pipe closes
    let out = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
