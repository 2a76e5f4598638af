//! The gallery's teaching scenarios build, and each one shows the point its text makes.
#![cfg(not(target_arch = "wasm32"))]

use eksplain::model::aws::api_access::ApiPath;
use eksplain::model::aws::vpc_cni::IpamMode;
use eksplain::model::{self, Cluster, PodStatus};
use eksplain::scenario::from_json;

fn load(file: &str) -> Cluster {
    let path = format!("{}/static/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let scenario = from_json(&text).unwrap_or_else(|p| panic!("{file}: {p:?}"));
    assert!(!scenario.description.is_empty(), "{file} explains itself");
    model::build(&scenario).unwrap_or_else(|p| panic!("{file}: {p:?}"))
}

#[test]
fn the_index_lists_every_gallery_scenario_and_each_builds() {
    let index: serde_json::Value =
        serde_json::from_str(include_str!("../static/scenarios/gallery.json")).unwrap();
    let files: Vec<&str> = index
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    let on_disk = std::fs::read_dir(format!(
        "{}/static/scenarios/gallery",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .count();
    assert_eq!(files.len(), on_disk);
    assert!(files.len() >= 8);
    for f in files {
        load(f);
    }
}

#[test]
fn each_scenario_shows_its_point() {
    let small = load("gallery/small-subnets.json");
    assert!(small
        .pods
        .iter()
        .any(|p| p.status == PodStatus::ContainerCreating));

    let pd = load("gallery/prefix-delegation.json");
    assert!(pd
        .nodes
        .iter()
        .all(|n| n.ipam_mode == IpamMode::Prefix && n.max_pods.value == 110));
    assert!(pd.pods.iter().all(|p| p.status == PodStatus::Running));

    let custom = load("gallery/custom-networking.json");
    assert!(custom.nodes.iter().all(|n| n.max_pods.value == 20));
    assert!(custom.pods.iter().filter(|p| !p.host_network).all(|p| p
        .ip
        .unwrap()
        .to_string()
        .starts_with("100.64.")));

    let private = load("gallery/private-endpoint.json");
    assert!(private
        .nodes
        .iter()
        .all(|n| matches!(n.api_path, ApiPath::PrivateEndpoint { .. })));

    let sg = load("gallery/security-groups-for-pods.json");
    assert_eq!(sg.nodes.iter().map(|n| n.branches.len()).sum::<usize>(), 2);

    let ingress = load("gallery/ingress-groups.json");
    assert_eq!(
        ingress.load_balancers.len(),
        2,
        "one ALB for the group, one for the lone Ingress"
    );

    let snat = load("gallery/external-snat.json");
    assert!(snat.nodes.iter().any(|n| n.public_ip.is_some()));

    let etp = load("gallery/etp-cluster-vs-local.json");
    let web: Vec<_> = etp
        .pods
        .iter()
        .filter(|p| p.labels.get("app").map(String::as_str) == Some("web"))
        .collect();
    assert_eq!(web.len(), 3);
    let on_first = web.iter().filter(|p| p.node == Some(0)).count();
    assert_eq!(on_first, 2, "two web pods on ng-1-1, one elsewhere");
}
