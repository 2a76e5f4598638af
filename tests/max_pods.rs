//! `eksplain max-pods` and `model::aws::max_pods` against the full reference tables:
//! the EKS AMI's eni-max-pods.txt row for row, and an independent re-implementation of
//! `max-pods-calculator.sh` over every instance type and every combination of its flags.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;
use std::collections::{BTreeMap, HashMap};
use std::process::Output;

use eksplain::model::aws::instance_types::InstanceTypes;
use eksplain::model::aws::max_pods::{max_pods, CniVersion, MaxPodsError, MaxPodsInput};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn data(file: &str) -> String {
    std::fs::read_to_string(format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("read data/{file}: {e}"))
}

/// `type<TAB>n` lines into a map, checking they are sorted and unique.
fn parse_listing(text: &str) -> BTreeMap<String, u32> {
    let mut map = BTreeMap::new();
    let mut previous = String::new();
    for line in text.lines() {
        let (name, n) = line
            .split_once('\t')
            .unwrap_or_else(|| panic!("not `type<TAB>n`: {line:?}"));
        assert!(name > previous.as_str(), "{name} after {previous}");
        previous = name.to_string();
        map.insert(name.to_string(), n.parse().expect("a number"));
    }
    map
}

/// One row of instance-limits.tsv joined with instance-resources.tsv, read here on its own.
struct Row {
    name: String,
    enis: i64,
    ips: i64,
    nitro: bool,
    vcpus: Option<i64>,
}

fn rows() -> Vec<Row> {
    let resources = data("instance-resources.tsv");
    let header: Vec<&str> = resources.lines().next().unwrap().split('\t').collect();
    let vcpu_col = header.iter().position(|c| *c == "vcpu").unwrap();
    let vcpus: HashMap<String, i64> = resources
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c[0].to_string(), c[vcpu_col].parse().unwrap())
        })
        .collect();
    let limits = data("instance-limits.tsv");
    let header: Vec<&str> = limits.lines().next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let (enis, ips, hyp) = (col("max_enis"), col("ipv4_per_eni"), col("hypervisor"));
    limits
        .lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            Row {
                name: c[0].to_string(),
                enis: c[enis].parse().unwrap(),
                ips: c[ips].parse().unwrap(),
                nitro: c[hyp] == "nitro",
                vcpus: vcpus.get(c[0]).copied(),
            }
        })
        .collect()
}

/// The script, transcribed: `None` when the ceiling needs an unknown vCPU count.
fn expected(
    row: &Row,
    (major, minor): (i64, i64),
    custom_networking: bool,
    prefix_delegation: bool,
    max_eni: Option<i64>,
    show_max_allowed: bool,
) -> Option<i64> {
    let mut enis_for_pods = match max_eni {
        None => row.enis,
        Some(n) => n.min(row.enis),
    };
    if custom_networking {
        enis_for_pods -= 1;
    }
    let supported = major > 1 || (major == 1 && minor > 8);
    let max_pods = if row.nitro && prefix_delegation && supported {
        enis_for_pods * ((row.ips - 1) * 16) + 2
    } else {
        enis_for_pods * (row.ips - 1) + 2
    };
    if show_max_allowed {
        return Some(max_pods);
    }
    match row.vcpus {
        Some(cpu) if cpu > 30 => Some(max_pods.min(250)),
        Some(_) => Some(max_pods.min(110)),
        // Unknown vCPUs: exact only when both ceilings leave the number alone.
        None if max_pods <= 110 => Some(max_pods),
        None => None,
    }
}

#[test]
fn all_with_show_max_allowed_is_eni_max_pods_txt() {
    let o = eksplain(&[
        "max-pods",
        "--all",
        "--cni-version",
        "1.9.0",
        "--show-max-allowed",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listing = parse_listing(&stdout(&o));
    assert_eq!(listing.len(), 1391, "every type: uncapped needs no vCPUs");
    let reference = data("eni-max-pods.txt");
    let mut compared = 0;
    for line in reference
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (name, n) = line.split_once(' ').unwrap();
        let n: u32 = n.trim().parse().unwrap();
        assert_eq!(listing.get(name), Some(&n), "{name}");
        compared += 1;
    }
    assert_eq!(compared, 1197);
}

#[test]
fn all_default_is_the_capped_calculator_and_skips_only_unknown_ceilings() {
    let o = eksplain(&["max-pods", "--all", "--cni-version", "1.18.0"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listing = parse_listing(&stdout(&o));
    let rows = rows();
    let mut skipped = 0;
    for row in &rows {
        match expected(row, (1, 18), false, false, None, false) {
            Some(n) => assert_eq!(listing.get(&row.name), Some(&(n as u32)), "{}", row.name),
            None => {
                assert!(!listing.contains_key(&row.name), "{}", row.name);
                skipped += 1;
            }
        }
    }
    assert_eq!(listing.len() + skipped, rows.len());
    assert_eq!(
        rows.len() - 283,
        rows.iter().filter(|r| r.vcpus.is_some()).count()
    );
    assert!(skipped > 0 && skipped < 283, "{skipped}");
}

#[test]
fn the_library_matches_the_script_for_every_type_and_flag_combination() {
    let table = InstanceTypes::get();
    let rows = rows();
    assert_eq!(rows.len(), table.all().len());
    let versions = [
        ("1.7.5", (1, 7)),
        ("1.8.0", (1, 8)),
        ("1.9.0", (1, 9)),
        ("1.10.1-eksbuild.1", (1, 10)),
        ("v1.18.3-eksbuild.1", (1, 18)),
        ("2.0.0", (2, 0)),
    ];
    let mut checked = 0;
    let mut unknown = 0;
    for (text, version) in versions {
        let cni_version = CniVersion::parse(text).unwrap();
        for custom_networking in [false, true] {
            for prefix_delegation in [false, true] {
                for max_eni in [None, Some(1), Some(2), Some(3), Some(4)] {
                    for show_max_allowed in [false, true] {
                        let input = MaxPodsInput {
                            cni_version: cni_version.clone(),
                            custom_networking,
                            prefix_delegation,
                            max_eni,
                            show_max_allowed,
                        };
                        for row in &rows {
                            let t = table.lookup(&row.name).expect(&row.name);
                            let want = expected(
                                row,
                                version,
                                custom_networking,
                                prefix_delegation,
                                max_eni.map(i64::from),
                                show_max_allowed,
                            );
                            let got = max_pods(t, &input);
                            let context = format!(
                                "{} --cni-version {text} custom={custom_networking} \
                                 pd={prefix_delegation} max_eni={max_eni:?} \
                                 show={show_max_allowed}",
                                row.name
                            );
                            match (want, got) {
                                (Some(n), Ok(m)) => {
                                    assert_eq!(i64::from(m.value), n, "{context}: {}", m.formula);
                                    checked += 1;
                                }
                                (None, Err(MaxPodsError::UnknownVcpus { instance_type, .. })) => {
                                    assert_eq!(instance_type, row.name);
                                    assert!(row.vcpus.is_none(), "{context}");
                                    unknown += 1;
                                }
                                (want, got) => panic!("{context}: want {want:?}, got {got:?}"),
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked + unknown, 6 * 2 * 2 * 5 * 2 * 1391);
    eprintln!("{checked} answers compared, {unknown} unknown-vCPU refusals");
}

#[test]
fn single_types_print_the_number_alone() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "max-pods",
            "--instance-type",
            "m5.large",
            "--cni-version",
            "1.9.0",
        ];
        args.extend_from_slice(extra);
        let o = eksplain(&args);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stderr(&o));
        stdout(&o)
    };
    assert_eq!(run(&[]), "29\n");
    assert_eq!(run(&["--cni-prefix-delegation-enabled"]), "110\n");
    assert_eq!(
        run(&["--cni-prefix-delegation-enabled", "--show-max-allowed"]),
        "434\n"
    );
    assert_eq!(run(&["--cni-custom-networking-enabled"]), "20\n");
    assert_eq!(run(&["--cni-max-eni", "2"]), "20\n");
    assert_eq!(
        run(&["--cni-max-eni", "2", "--cni-custom-networking-enabled"]),
        "11\n"
    );
}

#[test]
fn an_unknown_type_is_an_error_with_suggestions() {
    let o = eksplain(&[
        "max-pods",
        "--instance-type",
        "m5.huge",
        "--cni-version",
        "1.9.0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("unknown instance type `m5.huge`; did you mean m5."),
        "{err}"
    );
    let o = eksplain(&[
        "max-pods",
        "--instance-type",
        "zz",
        "--cni-version",
        "1.9.0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("unknown instance type `zz`"));
}

#[test]
fn unknown_vcpus_need_show_max_allowed_only_above_110() {
    // m8azn.medium is in instance-limits.tsv but not in instance-resources.tsv.
    let base = [
        "max-pods",
        "--instance-type",
        "m8azn.medium",
        "--cni-version",
        "1.9.0",
    ];
    let o = eksplain(&base);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "11\n");

    let with_pd = [&base[..], &["--cni-prefix-delegation-enabled"]].concat();
    let o = eksplain(&with_pd);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(
        err.contains("vCPU count of `m8azn.medium` is unknown")
            && err.contains("pass --show-max-allowed"),
        "{err}"
    );

    let o = eksplain(&[&with_pd[..], &["--show-max-allowed"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "146\n");
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["max-pods", "--cni-version", "1.9.0"][..],
        &["max-pods", "--instance-type", "m5.large"],
        &[
            "max-pods",
            "--all",
            "--instance-type",
            "m5.large",
            "--cni-version",
            "1.9.0",
        ],
        &["max-pods", "--all", "--cni-version", "latest"],
        &["max-pods", "--all", "--cni-version", "1"],
        &[
            "max-pods",
            "--all",
            "--cni-version",
            "1.9.0",
            "--cni-max-eni",
            "two",
        ],
        &[
            "max-pods",
            "--all",
            "--cni-version",
            "1.9.0",
            "--cni-max-eni",
            "0",
            "--cni-custom-networking-enabled",
        ],
    ] {
        let o = eksplain(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
    let o = eksplain(&["max-pods", "--all", "--cni-version", "latest"]);
    assert!(
        stderr(&o).contains("invalid CNI version `latest`"),
        "{}",
        stderr(&o)
    );
}
