//! The scenario a first-time visitor sees.

use super::document::*;

/// 10.0.0.0/16 over three AZs, a public and a private subnet in each, a NAT gateway per AZ,
/// and one managed node group of three m5.large nodes in the private subnets.
pub fn default_scenario() -> Scenario {
    let azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    let mut subnets = Vec::new();
    for (i, az) in azs.iter().enumerate() {
        let letter = &az[az.len() - 1..];
        subnets.push(Subnet {
            tags: Default::default(),
            name: format!("public-{letter}"),
            az: az.to_string(),
            cidr: format!("10.0.{}.0/24", i),
            public: true,
        });
    }
    for (i, az) in azs.iter().enumerate() {
        let letter = &az[az.len() - 1..];
        subnets.push(Subnet {
            tags: Default::default(),
            name: format!("private-{letter}"),
            az: az.to_string(),
            cidr: format!("10.0.{}.0/20", 16 * (i + 1)),
            public: false,
        });
    }
    Scenario {
        version: CURRENT_VERSION,
        name: "Three AZs, one node group".into(),
        description: String::new(),
        vpc: Vpc {
            cidr: "10.0.0.0/16".into(),
            secondary_cidrs: Vec::new(),
            subnets,
            nat_gateways: NatGatewayMode::HighlyAvailable,
        },
        cluster: ClusterSpec {
            control_plane_subnets: vec!["private-a".into(), "private-b".into(), "private-c".into()],
            ..ClusterSpec::default()
        },
        managed_node_groups: vec![NodeGroup {
            name: "ng-1".into(),
            instance_type: "m5.large".into(),
            desired_capacity: 3,
            subnets: vec!["private-a".into(), "private-b".into(), "private-c".into()],
            labels: Default::default(),
            taints: Vec::new(),
            max_pods_per_node: None,
        }],
        workloads: Vec::new(),
        services: Vec::new(),
        ingresses: Vec::new(),
        flows: Vec::new(),
        security_groups: Vec::new(),
        node_states: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The copy served to the page and used by the CLI tests must match the code.
    #[test]
    fn the_static_copy_is_current() {
        let text = include_str!("../../static/scenarios/default.json");
        let parsed: Scenario = serde_json::from_str(text).unwrap();
        assert_eq!(
            parsed,
            default_scenario(),
            "regenerate static/scenarios/default.json"
        );
    }
}
