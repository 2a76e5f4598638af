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
    let entries = index.as_array().unwrap();
    // Each entry names its scenario one way: a file, or a generated scenario's link.
    for e in entries {
        assert!(
            e["file"].is_string() != e["link"].is_string(),
            "{e}: a file or a link"
        );
    }
    let files: Vec<&str> = entries.iter().filter_map(|e| e["file"].as_str()).collect();
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

/// Issue 17: "At scale" is the generator's parameters (a 16-character link), the same
/// scenario `eksplain example --nodes 5000` writes, and it builds.
#[test]
fn the_at_scale_entry_is_a_generated_link() {
    let index: serde_json::Value =
        serde_json::from_str(include_str!("../static/scenarios/gallery.json")).unwrap();
    let entry = index
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("At scale"))
        })
        .expect("an At scale entry");
    let link = entry["link"].as_str().unwrap();
    assert!(link.len() <= 20, "{link}");
    let scenario = eksplain::scenario::decode_link(link).unwrap();
    assert_eq!(scenario, eksplain::scenario::scale_scenario(5000));
    // The title is the scenario's name, with thousands separated.
    assert_eq!(scenario.name, "At scale: 5000 nodes, 150000 pods");
    assert_eq!(
        entry["title"].as_str(),
        Some("At scale: 5,000 nodes, 150,000 pods")
    );
    let cluster = model::build(&scenario).unwrap();
    assert_eq!((cluster.nodes.len(), cluster.pods.len()), (5000, 150_000));
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
