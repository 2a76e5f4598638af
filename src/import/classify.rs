//! What a document is: AWS CLI output, an eksctl ClusterConfig, a Kubernetes object, or
//! something eksplain does not read.

use serde_json::Value;

/// The kinds of document an import reads, in the order they are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// `aws ec2 describe-vpcs|subnets|route-tables|nat-gateways`, `aws eks describe-cluster|
    /// describe-nodegroup` (or several in one object).
    AwsCli,
    /// `apiVersion: eksctl.io/v1alpha5`, `kind: ClusterConfig`.
    Eksctl,
    /// Anything with `apiVersion` and `kind`.
    Kubernetes,
    /// None of these.
    Unknown,
}

/// The top-level keys of the AWS CLI outputs eksplain reads.
pub const AWS_CLI_KEYS: [&str; 6] = [
    "Vpcs",
    "Subnets",
    "RouteTables",
    "NatGateways",
    "cluster",
    "nodegroup",
];

/// Classifies one document.
pub fn classify(value: &Value) -> Class {
    let Some(object) = value.as_object() else {
        return Class::Unknown;
    };
    let api_version = object.get("apiVersion").and_then(Value::as_str);
    let kind = object.get("kind").and_then(Value::as_str);
    match (api_version, kind) {
        (Some(v), Some("ClusterConfig")) if v.starts_with("eksctl.io/") => Class::Eksctl,
        (Some(_), Some(_)) => Class::Kubernetes,
        _ if AWS_CLI_KEYS.iter().any(|k| object.contains_key(*k)) => Class::AwsCli,
        _ => Class::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_kind_is_recognised() {
        assert_eq!(
            classify(&json!({"apiVersion": "eksctl.io/v1alpha5", "kind": "ClusterConfig"})),
            Class::Eksctl
        );
        assert_eq!(
            classify(&json!({"apiVersion": "v1", "kind": "Service"})),
            Class::Kubernetes
        );
        assert_eq!(classify(&json!({"Subnets": []})), Class::AwsCli);
        assert_eq!(classify(&json!({"cluster": {"name": "x"}})), Class::AwsCli);
        assert_eq!(classify(&json!({"hello": 1})), Class::Unknown);
        assert_eq!(classify(&json!([1, 2])), Class::Unknown);
        assert_eq!(classify(&json!("text")), Class::Unknown);
    }

    #[test]
    fn the_order_applies_aws_output_first() {
        assert!(Class::AwsCli < Class::Eksctl && Class::Eksctl < Class::Kubernetes);
    }
}
