//! `eksplain::import` and `eksplain import` on the real inputs in tests/fixtures/import/
//! (unchanged public files; SOURCES.md says where from) and on bad inputs.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;

use eksplain::import::{import, Imported, Input, Note, NoteKind, Options};
use eksplain::scenario::{EnforcingMode, NatGatewayMode, Problem};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import");

fn fixture(name: &str) -> Input {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).expect(name);
    Input {
        name: name.into(),
        text,
    }
}

/// The JSON in the `Output::` code block of the AWS CLI's example page (indented 4 spaces).
fn describe_cluster() -> Input {
    let rst = fixture("awscli-eks-describe-cluster.rst").text;
    let (_, block) = rst.split_once("Output::").expect("an Output:: block");
    let json: String = block
        .lines()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| l.is_empty() || l.starts_with("    "))
        .map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l)))
        .collect();
    Input {
        name: "describe-cluster.json".into(),
        text: json,
    }
}

fn run(inputs: &[Input], region: Option<&str>) -> Imported {
    let options = Options {
        region: region.map(str::to_string),
    };
    import(inputs, &options).unwrap_or_else(|p| panic!("{p:?}"))
}

fn notes(imported: &Imported, kind: NoteKind) -> Vec<&Note> {
    imported.notes.iter().filter(|n| n.kind == kind).collect()
}

fn has_note(imported: &Imported, kind: NoteKind, path: &str, text: &str) -> bool {
    imported
        .notes
        .iter()
        .any(|n| n.kind == kind && n.path == path && n.message.contains(text))
}

fn refused(inputs: &[Input]) -> Vec<Problem> {
    match import(inputs, &Options::default()) {
        Ok(_) => panic!("imported"),
        Err(refused) => refused.problems,
    }
}

#[test]
fn eksctls_simple_cluster_gets_eksctls_defaults() {
    let imported = run(&[fixture("eksctl-01-simple-cluster.yaml")], None);
    let s = &imported.scenario;
    assert_eq!(s.cluster.name, "cluster-1");
    assert_eq!(s.vpc.cidr, "192.168.0.0/16");
    assert_eq!(s.vpc.nat_gateways, NatGatewayMode::Single);
    let subnets: Vec<(&str, &str, &str, bool)> = s
        .vpc
        .subnets
        .iter()
        .map(|x| (x.name.as_str(), x.az.as_str(), x.cidr.as_str(), x.public))
        .collect();
    assert_eq!(
        subnets,
        vec![
            ("public-eu-north-1a", "eu-north-1a", "192.168.0.0/19", true),
            ("public-eu-north-1b", "eu-north-1b", "192.168.32.0/19", true),
            ("public-eu-north-1c", "eu-north-1c", "192.168.64.0/19", true),
            (
                "private-eu-north-1a",
                "eu-north-1a",
                "192.168.96.0/19",
                false
            ),
            (
                "private-eu-north-1b",
                "eu-north-1b",
                "192.168.128.0/19",
                false
            ),
            (
                "private-eu-north-1c",
                "eu-north-1c",
                "192.168.160.0/19",
                false
            ),
        ]
    );
    let [ng] = s.managed_node_groups.as_slice() else {
        panic!("{:?}", s.managed_node_groups)
    };
    assert_eq!(
        (
            ng.name.as_str(),
            ng.instance_type.as_str(),
            ng.desired_capacity
        ),
        ("ng-1", "m5.large", 1)
    );
    assert_eq!(
        ng.subnets,
        vec![
            "public-eu-north-1a",
            "public-eu-north-1b",
            "public-eu-north-1c"
        ]
    );
    for path in [
        "vpc.cidr",
        "vpc.subnets",
        "vpc.nat.gateway",
        "availabilityZones",
        "nodeGroups[0].privateNetworking",
    ] {
        assert!(
            notes(&imported, NoteKind::Default)
                .iter()
                .any(|n| n.path == path),
            "no default noted at {path}: {:?}",
            imported.notes
        );
    }
    assert!(has_note(
        &imported,
        NoteKind::Default,
        "availabilityZones",
        "eu-north-1a, eu-north-1b, eu-north-1c"
    ));
    assert!(has_note(
        &imported,
        NoteKind::Ignored,
        "eksctl-01-simple-cluster.yaml#1",
        "cloudWatch"
    ));
    assert!(notes(&imported, NoteKind::Placeholder).is_empty());
}

#[test]
fn the_workshop_cluster_reads_its_network_and_cni_settings() {
    let imported = run(&[fixture("eks-workshop-eksctl-cluster.yaml")], None);
    let s = &imported.scenario;
    assert_eq!(s.vpc.cidr, "10.42.0.0/16");
    assert_eq!(s.vpc.subnets.len(), 6);
    assert_eq!(s.vpc.subnets[3].name, "private-us-east-1a");
    assert_eq!(s.vpc.subnets[3].cidr, "10.42.96.0/19");
    let e = &s.cluster.cluster_endpoints;
    assert!(e.public_access && e.private_access);
    let ng = &s.managed_node_groups[0];
    assert_eq!(ng.name, "default");
    assert_eq!(ng.desired_capacity, 3);
    assert_eq!(ng.labels["workshop-default"], "yes");
    assert!(ng.subnets.iter().all(|n| n.starts_with("private-")));
    assert_eq!(ng.subnets.len(), 3);
    let cni = &s.cluster.vpc_cni;
    assert!(cni.prefix_delegation && cni.pod_eni);
    assert_eq!(
        cni.pod_security_group_enforcing_mode,
        EnforcingMode::Standard
    );
    assert_eq!(cni.version, "1.19.2");
    assert!(has_note(
        &imported,
        NoteKind::Placeholder,
        "availabilityZones[0]",
        "${AWS_REGION} → us-east-1"
    ));
    assert!(has_note(
        &imported,
        NoteKind::Placeholder,
        "metadata.name",
        "${EKS_CLUSTER_NAME}"
    ));
    assert!(has_note(
        &imported,
        NoteKind::Ignored,
        "managedNodeGroups[0].minSize/maxSize",
        "3 nodes"
    ));
    assert!(has_note(
        &imported,
        NoteKind::Ignored,
        "addons[0].configurationValues",
        "enableNetworkPolicy"
    ));
}

#[test]
fn region_gives_the_placeholder_its_value() {
    let imported = run(
        &[fixture("eks-workshop-eksctl-cluster.yaml")],
        Some("eu-west-3"),
    );
    assert_eq!(imported.scenario.vpc.subnets[0].az, "eu-west-3a");
}

#[test]
fn describe_cluster_alone_gives_the_cluster_and_names_what_would_resolve_its_subnets() {
    let imported = run(&[describe_cluster()], None);
    let c = &imported.scenario.cluster;
    assert_eq!(c.name, "my-eks-cluster");
    assert!(c.cluster_endpoints.public_access && c.cluster_endpoints.private_access);
    assert_eq!(c.public_access_cidrs, vec!["22.19.18.2/32".to_string()]);
    assert_eq!(c.service_ipv4_cidr.as_deref(), Some("10.100.0.0/16"));
    // Nothing resolves the subnet ids: eksctl's layout in the cluster's Region stands in.
    let subnets = &imported.scenario.vpc.subnets;
    assert_eq!(subnets.len(), 6);
    assert_eq!(subnets[0].az, "us-east-2a");
    assert!(has_note(
        &imported,
        NoteKind::Default,
        "availabilityZones",
        "no input gives a subnet eksplain can draw"
    ));
    let unresolved = notes(&imported, NoteKind::Unresolved);
    assert_eq!(unresolved.len(), 7, "{unresolved:?}");
    assert!(has_note(
        &imported,
        NoteKind::Unresolved,
        "describe-cluster.json#1 cluster.resourcesVpcConfig.subnetIds[0]",
        "subnet-0fb75d2d8401716e7 is an ID; add `aws ec2 describe-subnets` output"
    ));
    assert!(has_note(
        &imported,
        NoteKind::Unresolved,
        "vpc.cidr",
        "vpc-0012b8e1cc0abb17d is an ID; add `aws ec2 describe-vpcs`"
    ));
}

#[test]
fn describe_cluster_with_its_subnets_places_the_control_plane() {
    let subnets = r#"{"Subnets": [
        {"SubnetId": "subnet-0fb75d2d8401716e7", "VpcId": "vpc-0012b8e1cc0abb17d",
         "AvailabilityZone": "us-east-2a", "CidrBlock": "192.168.0.0/19",
         "Tags": [{"Key": "Name", "Value": "eksctl-my-eks-cluster-cluster/SubnetPublicUSEAST2A"}]},
        {"SubnetId": "subnet-02184492f67a3d0f9", "VpcId": "vpc-0012b8e1cc0abb17d",
         "AvailabilityZone": "us-east-2b", "CidrBlock": "192.168.96.0/19"}]}
        {"Vpcs": [{"VpcId": "vpc-0012b8e1cc0abb17d", "CidrBlock": "192.168.0.0/16"}]}
        {"RouteTables": [{"VpcId": "vpc-0012b8e1cc0abb17d",
          "Associations": [{"SubnetId": "subnet-0fb75d2d8401716e7"}],
          "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": "igw-1"}]},
          {"VpcId": "vpc-0012b8e1cc0abb17d", "Associations": [{"Main": true}],
          "Routes": [{"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "local"}]}]}"#;
    let imported = run(
        &[
            describe_cluster(),
            Input {
                name: "ec2.json".into(),
                text: subnets.into(),
            },
        ],
        None,
    );
    let s = &imported.scenario;
    assert_eq!(s.vpc.cidr, "192.168.0.0/16");
    assert_eq!(
        s.cluster.control_plane_subnets,
        vec![
            "eksctl-my-eks-cluster-cluster-SubnetPublicUSEAST2A".to_string(),
            "subnet-02184492f67a3d0f9".to_string()
        ]
    );
    assert!(s.vpc.subnets[0].public && !s.vpc.subnets[1].public);
    // Four subnet ids unresolved, and the NAT gateways.
    assert_eq!(notes(&imported, NoteKind::Unresolved).len(), 5);
}

#[test]
fn every_real_input_alone_and_the_workshops_three_give_valid_scenarios() {
    for name in [
        "eksctl-01-simple-cluster.yaml",
        "eks-workshop-eksctl-cluster.yaml",
        "eks-workshop-eniconfigs.yaml",
        "eks-workshop-nlb-service.yaml",
        "lbc-2048_full.yaml",
    ] {
        let imported = run(&[fixture(name)], None);
        assert!(!imported.notes.is_empty(), "{name}: no notes");
    }
    let together = run(
        &[
            fixture("eks-workshop-eniconfigs.yaml"),
            fixture("eks-workshop-nlb-service.yaml"),
            fixture("eks-workshop-eksctl-cluster.yaml"),
        ],
        None,
    );
    assert_eq!(together.scenario.vpc.cidr, "10.42.0.0/16");
    assert_eq!(together.scenario.managed_node_groups[0].name, "default");
}

#[test]
fn manifests_alone_draw_on_eksctls_default_cluster() {
    let imported = run(&[fixture("lbc-2048_full.yaml")], Some("eu-west-1"));
    let s = &imported.scenario;
    assert_eq!(s.vpc.cidr, "192.168.0.0/16");
    assert_eq!(s.vpc.subnets.len(), 6);
    assert_eq!(s.managed_node_groups[0].desired_capacity, 2);
    assert!(has_note(
        &imported,
        NoteKind::Default,
        "(cluster)",
        "eksctl create cluster --region eu-west-1"
    ));
}

#[test]
fn bad_inputs_are_clear_problems() {
    let input = |text: &str| Input {
        name: "bad.yaml".into(),
        text: text.into(),
    };
    let p = refused(&[input("key: [unclosed")]);
    assert_eq!(p[0].path.as_str(), "bad.yaml");
    assert!(p[0].message.starts_with("not valid YAML"), "{p:?}");

    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    let p = refused(&[input(&bomb)]);
    assert!(p[0].message.starts_with("not valid YAML"), "{p:?}");

    let big = format!("a: \"{}\"\n", "x".repeat(10 * 1024 * 1024));
    let p = refused(&[input(&big)]);
    assert!(p[0].message.contains("at most"), "{p:?}");

    let p = refused(&[input("")]);
    assert!(p[0].message.starts_with("nothing to import"), "{p:?}");

    let p = refused(&[input(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: x, region: eu-west-1}\nvpc: {cidr: 10.0.0.0/8}\n",
    )]);
    assert!(p[0].message.contains("/16 to /24"), "{p:?}");
}

#[test]
fn an_import_never_writes_what_the_scenario_reader_refuses() {
    // A selector value past the scenario's text limit (found by the import fuzz target): the
    // import refuses it at its path instead of writing a scenario no one can open.
    let long = "a".repeat(2_000);
    let text = format!(
        "apiVersion: v1\nkind: Service\nmetadata: {{name: web}}\nspec: {{selector: {{app: {long}}}, ports: [{{port: 80}}]}}\n"
    );
    let p = refused(&[Input {
        name: "svc.yaml".into(),
        text,
    }]);
    assert!(
        p.iter()
            .any(|p| p.path.to_string().starts_with("services[0]")),
        "{p:?}"
    );
}

#[test]
fn a_scenario_the_model_refuses_is_its_problems() {
    let text = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n\
                metadata: {name: x, region: eu-west-1}\n\
                managedNodeGroups: [{name: a, instanceType: m5.huge}]\n";
    let p = refused(&[Input {
        name: "c.yaml".into(),
        text: text.into(),
    }]);
    assert!(
        p.iter()
            .any(|p| p.path.as_str() == "managedNodeGroups[0].instanceType"),
        "{p:?}"
    );
    // The notes made on the way come with the problems: here, eksctl's defaults.
    let refused = import(
        &[Input {
            name: "c.yaml".into(),
            text: text.into(),
        }],
        &Options::default(),
    )
    .unwrap_err();
    assert!(
        refused
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Default && n.path == "vpc.cidr"),
        "{:?}",
        refused.notes
    );
    let dir = std::env::temp_dir().join(format!("eksplain-refused-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c.yaml");
    std::fs::write(&file, text).unwrap();
    let o = eksplain(&["import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    let (notes, problems) = err
        .split_once("the imported scenario is not valid")
        .expect("the problems follow the notes");
    assert!(
        notes.contains("vpc.cidr: absent → eksctl's default"),
        "{err}"
    );
    assert!(
        problems.contains("managedNodeGroups[0].instanceType"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_prints_notes_and_writes_the_scenario() {
    let o = eksplain(&[
        "import",
        "tests/fixtures/import/eksctl-01-simple-cluster.yaml",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    let err = String::from_utf8_lossy(&o.stderr);
    let scenario: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(scenario["vpc"]["cidr"], "192.168.0.0/16");
    assert!(err.contains("Defaults applied (6):"), "{err}");
    assert!(
        err.contains("  vpc.cidr: absent → eksctl's default 192.168.0.0/16"),
        "{err}"
    );

    let dir = std::env::temp_dir().join(format!("eksplain-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_file = dir.join("s.json");
    let o = eksplain(&[
        "import",
        "tests/fixtures/import/eks-workshop-eksctl-cluster.yaml",
        "--region",
        "eu-west-1",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("Placeholders (5):"), "{stdout}");
    let written = std::fs::read_to_string(&out_file).unwrap();
    assert!(written.contains("eu-west-1a"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_cli_exits_1_on_invalid_and_2_on_usage() {
    let o = eksplain(&["import", "tests/fixtures/bad.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let o = eksplain(&["import", "tests/fixtures/import/no-such-file.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    let o = eksplain(&["import", "-", "-"]);
    assert_eq!(o.status.code(), Some(2));
    let o = eksplain(&["import"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn the_cli_reads_standard_input() {
    let o = common::run_with_stdin(
        env!("CARGO_BIN_EXE_eksplain"),
        &["import", "-"],
        describe_cluster().text.as_bytes(),
    );
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Unresolved (7):"), "{err}");
    assert!(
        err.contains("-#1 cluster.resourcesVpcConfig.subnetIds[5]"),
        "{err}"
    );
}

#[test]
fn a_large_input_is_read_quickly() {
    // 2,000 subnets (the most a VPC holds) and 300 node groups naming 500 of them each.
    let mut text = String::from(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: big, region: eu-west-1}\n\
         vpc:\n  cidr: 10.0.0.0/16\n  subnets:\n    private:\n",
    );
    for i in 0..2000 {
        let az = ["a", "b", "c"][i % 3];
        text.push_str(&format!(
            "      s{i}: {{az: eu-west-1{az}, cidr: 10.0.{}.{}/28}}\n",
            i / 16,
            (i % 16) * 16
        ));
    }
    text.push_str("managedNodeGroups:\n");
    let names: Vec<String> = (0..500).map(|i| format!("s{}", i * 4)).collect();
    for g in 0..300 {
        text.push_str(&format!(
            "- {{name: g{g}, desiredCapacity: 0, subnets: [{}]}}\n",
            names.join(", ")
        ));
    }
    let start = std::time::Instant::now();
    let result = import(
        &[Input {
            name: "big.yaml".into(),
            text,
        }],
        &Options::default(),
    );
    let took = start.elapsed();
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
    if let Ok(imported) = result {
        assert_eq!(imported.scenario.vpc.subnets.len(), 2000);
        assert_eq!(imported.scenario.managed_node_groups.len(), 300);
    }
}
