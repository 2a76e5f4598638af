//! The cluster's service CIDR: the one set in the scenario, or the EKS default.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::aws::vpc::{parse_cidr, Vpc};
use crate::scenario::{Path, Problem};

/// EKS's default when `serviceIPv4CIDR` is not set: 172.20.0.0/16 when the VPC's CIDR is inside
/// 10.0.0.0/8, else 10.100.0.0/16 (so the two never overlap). The EKS AMI's bootstrap assumes
/// the same rule to find the cluster DNS address.
pub fn default_service_cidr(vpc: &Vpc) -> Ipv4Net {
    let ten: Ipv4Net = "10.0.0.0/8".parse().expect("valid");
    if ten.contains(&vpc.primary()) {
        "172.20.0.0/16".parse().expect("valid")
    } else {
        "10.100.0.0/16".parse().expect("valid")
    }
}

/// Checks a custom service CIDR: private (10/8, 172.16/12, 192.168/16), /24 to /12, and not
/// overlapping the VPC.
pub fn service_cidr(text: Option<&str>, vpc: &Vpc, problems: &mut Vec<Problem>) -> Ipv4Net {
    let Some(text) = text else {
        return default_service_cidr(vpc);
    };
    let path = Path::root().field("cluster").field("serviceIPv4CIDR");
    let cidr = match parse_cidr(text) {
        Ok(c) => c,
        Err(m) => {
            problems.push(Problem::new(path, m));
            return default_service_cidr(vpc);
        }
    };
    let private: [Ipv4Net; 3] = [
        "10.0.0.0/8".parse().expect("valid"),
        "172.16.0.0/12".parse().expect("valid"),
        "192.168.0.0/16".parse().expect("valid"),
    ];
    if !private.iter().any(|p| p.contains(&cidr)) {
        problems.push(Problem::new(
            path.clone(),
            format!("{cidr} must be inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"),
        ));
    }
    if !(12..=24).contains(&cidr.prefix_len()) {
        problems.push(Problem::new(
            path.clone(),
            format!(
                "{cidr} is a /{}; EKS takes a service CIDR from /12 to /24",
                cidr.prefix_len()
            ),
        ));
    }
    if let Some(c) = vpc
        .cidrs
        .iter()
        .find(|c| c.contains(&cidr.network()) || cidr.contains(&c.network()))
    {
        problems.push(Problem::new(
            path.clone(),
            format!("{cidr} overlaps the VPC's CIDR {c}"),
        ));
    }
    cidr
}

/// The address `n` into the service CIDR (`.1` is the `kubernetes` service, `.10` cluster DNS).
pub fn nth(cidr: Ipv4Net, n: u32) -> Ipv4Addr {
    Ipv4Addr::from(u32::from(cidr.network()) + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vpc(c: &str) -> Vpc {
        Vpc {
            cidrs: vec![c.parse().unwrap()],
        }
    }

    #[test]
    fn the_eks_default_rule_both_ways() {
        assert_eq!(
            default_service_cidr(&vpc("10.0.0.0/16")).to_string(),
            "172.20.0.0/16"
        );
        assert_eq!(
            default_service_cidr(&vpc("192.168.0.0/16")).to_string(),
            "10.100.0.0/16"
        );
        assert_eq!(
            default_service_cidr(&vpc("172.31.0.0/16")).to_string(),
            "10.100.0.0/16"
        );
        assert_eq!(
            nth(default_service_cidr(&vpc("10.0.0.0/16")), 10).to_string(),
            "172.20.0.10"
        );
    }

    #[test]
    fn custom_ranges_are_checked() {
        let mut problems = Vec::new();
        assert_eq!(
            service_cidr(Some("10.96.0.0/12"), &vpc("192.168.0.0/16"), &mut problems).to_string(),
            "10.96.0.0/12"
        );
        assert!(problems.is_empty());
        service_cidr(Some("10.0.0.0/20"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0]
            .message
            .contains("overlaps the VPC's CIDR 10.0.0.0/16"));
        problems.clear();
        service_cidr(Some("8.8.0.0/16"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0].message.contains("must be inside 10.0.0.0/8"));
        problems.clear();
        service_cidr(Some("172.20.0.0/26"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0].message.contains("/12 to /24"));
    }
}
