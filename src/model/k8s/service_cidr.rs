//! The cluster's service CIDR: the one set in the scenario, or the EKS default for the
//! cluster's IP family.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::services::stable_hash;
use crate::model::aws::vpc::{parse_cidr, Vpc};
use crate::scenario::{IpFamily, Path, Problem};

/// EKS's default when `serviceIPv4CIDR` is not set: 172.20.0.0/16 when the VPC has a CIDR in
/// 10.0.0.0/8, else 10.100.0.0/16 (so the two never overlap). The EKS AMI's `bootstrap.sh`
/// (awslabs/amazon-eks-ami `files/bootstrap.sh`, the DNS_CLUSTER_IP block) picks the cluster
/// DNS address by testing every VPC CIDR (`vpc-ipv4-cidr-blocks`) for `10.`; this is that test.
/// Under AWS's CIDR association restrictions ([`crate::model::aws::vpc::association_restriction`])
/// only a VPC whose primary CIDR is in 10.0.0.0/8 can hold a 10.x CIDR, so "any CIDR" and "the
/// primary" give the same answer on every VPC AWS allows (tested below).
pub fn default_service_cidr(vpc: &Vpc) -> Ipv4Net {
    let ten: Ipv4Net = "10.0.0.0/8".parse().expect("valid");
    if vpc.cidrs.iter().any(|c| ten.contains(c)) {
        "172.20.0.0/16".parse().expect("valid")
    } else {
        "10.100.0.0/16".parse().expect("valid")
    }
}

/// The host bits of an IPv6 service CIDR EKS assigns: kube-apiserver takes at most 20
/// (kubernetes `cmd/kube-apiserver/app/options/validation.go`, `maxCIDRBits = 20`), and EKS
/// gives every IPv6 cluster a /108 (`describe-cluster` shows e.g. `"serviceIpv6Cidr":
/// "fd16:44b2:c6d7::/108"`, terraform-aws-modules/terraform-aws-eks issue 1893).
pub const IPV6_SERVICE_PREFIX: u8 = 108;

/// The unique-local /108 EKS gives an IPv6 cluster's Services. EKS picks it from fc00::/7 when
/// the cluster is made and it cannot be chosen (EKS API reference, `KubernetesNetworkConfig`
/// `ipFamily` / `serviceIpv6Cidr`). The model stands in for EKS's random pick with an RFC 4193
/// address, `fd` and a 40-bit global ID from a hash of the cluster name, so a cluster keeps its
/// service CIDR from one build to the next.
pub fn default_service_ipv6_cidr(cluster_name: &str) -> Ipv6Net {
    let global_id = u128::from(stable_hash(cluster_name) & 0xff_ffff_ffff);
    let addr = (0xfd_u128 << 120) | (global_id << 80);
    Ipv6Net::new(Ipv6Addr::from(addr), IPV6_SERVICE_PREFIX).expect("108 is a valid prefix")
}

/// The cluster's service CIDR and its checks. IPv4 clusters: `serviceIPv4CIDR` or the EKS
/// default; IPv6 clusters: `serviceIPv6CIDR` (the range EKS assigned, when a real cluster is
/// reproduced) or a unique-local /108. Each field belongs to one family only.
pub fn service_cidr(
    ipv4: Option<&str>,
    ipv6: Option<&str>,
    family: IpFamily,
    cluster_name: &str,
    vpc: &Vpc,
    problems: &mut Vec<Problem>,
) -> IpNet {
    let cluster = Path::root().field("cluster");
    match family {
        IpFamily::IPv4 => {
            if ipv6.is_some() {
                problems.push(Problem::new(
                    cluster.field("serviceIPv6CIDR"),
                    "an IPv4 cluster has no IPv6 service CIDR: set ipFamily to IPv6 or remove serviceIPv6CIDR",
                ));
            }
            IpNet::V4(service_ipv4_cidr(ipv4, vpc, problems))
        }
        IpFamily::IPv6 => {
            if ipv4.is_some() {
                problems.push(Problem::new(
                    cluster.field("serviceIPv4CIDR"),
                    "an IPv6 cluster's Services get IPv6 addresses from fc00::/7 that EKS assigns: remove serviceIPv4CIDR",
                ));
            }
            IpNet::V6(service_ipv6_cidr(ipv6, cluster_name, problems))
        }
    }
}

/// Checks `serviceIPv6CIDR`: unique-local (fc00::/7), a /108 to a /120 (kube-apiserver takes at
/// most 20 host bits; `.a`, the cluster DNS address, must fit).
fn service_ipv6_cidr(
    text: Option<&str>,
    cluster_name: &str,
    problems: &mut Vec<Problem>,
) -> Ipv6Net {
    let default = default_service_ipv6_cidr(cluster_name);
    let Some(text) = text else {
        return default;
    };
    let path = Path::root().field("cluster").field("serviceIPv6CIDR");
    let cidr: Ipv6Net = match text.trim().parse::<Ipv6Net>() {
        Ok(c) if c.network() == c.addr() => c,
        Ok(c) => {
            problems.push(Problem::new(
                path,
                format!("`{text}` has host bits set; did you mean {}?", c.trunc()),
            ));
            return default;
        }
        Err(_) => {
            problems.push(Problem::new(
                path,
                format!(
                    "`{}` is not an IPv6 CIDR (write it like fd12:3456:789a::/108)",
                    text.chars().take(60).collect::<String>().escape_default()
                ),
            ));
            return default;
        }
    };
    let ula: Ipv6Net = "fc00::/7".parse().expect("valid");
    if !ula.contains(&cidr) {
        problems.push(Problem::new(
            path.clone(),
            format!("{cidr} must be inside fc00::/7: EKS assigns an IPv6 cluster's service CIDR from the unique-local range"),
        ));
    }
    if !(IPV6_SERVICE_PREFIX..=120).contains(&cidr.prefix_len()) {
        problems.push(Problem::new(
            path,
            format!(
                "{cidr} is a /{}; an IPv6 service CIDR is a /108 to a /120 (kube-apiserver takes at most 20 host bits)",
                cidr.prefix_len()
            ),
        ));
    }
    cidr
}

/// Checks a custom IPv4 service CIDR: private (10/8, 172.16/12, 192.168/16), /24 to /12, and
/// not overlapping the VPC.
fn service_ipv4_cidr(text: Option<&str>, vpc: &Vpc, problems: &mut Vec<Problem>) -> Ipv4Net {
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

/// The address `n` into the service CIDR (`.1` is the `kubernetes` service, `.10` cluster DNS;
/// `::a` in an IPv6 cluster, as the EKS AMI's `bootstrap.sh` writes it).
pub fn nth(cidr: IpNet, n: u32) -> IpAddr {
    match cidr {
        IpNet::V4(c) => IpAddr::V4(Ipv4Addr::from(u32::from(c.network()) + n)),
        IpNet::V6(c) => IpAddr::V6(Ipv6Addr::from(u128::from(c.network()) + u128::from(n))),
    }
}

/// How many addresses the service CIDR has, capped at 2^32 (an IPv6 service CIDR has at most
/// 2^20).
pub fn size(cidr: IpNet) -> u64 {
    let host_bits = u32::from(cidr.max_prefix_len() - cidr.prefix_len()).min(32);
    1u64 << host_bits
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
            nth(IpNet::V4(default_service_cidr(&vpc("10.0.0.0/16"))), 10).to_string(),
            "172.20.0.10"
        );
    }

    #[test]
    fn custom_ranges_are_checked() {
        let mut problems = Vec::new();
        assert_eq!(
            service_ipv4_cidr(Some("10.96.0.0/12"), &vpc("192.168.0.0/16"), &mut problems)
                .to_string(),
            "10.96.0.0/12"
        );
        assert!(problems.is_empty());
        service_ipv4_cidr(Some("10.0.0.0/20"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0]
            .message
            .contains("overlaps the VPC's CIDR 10.0.0.0/16"));
        problems.clear();
        service_ipv4_cidr(Some("8.8.0.0/16"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0].message.contains("must be inside 10.0.0.0/8"));
        problems.clear();
        service_ipv4_cidr(Some("172.20.0.0/26"), &vpc("10.0.0.0/16"), &mut problems);
        assert!(problems[0].message.contains("/12 to /24"));
    }

    /// The default-service-CIDR question of issue 14: the EKS AMI's `bootstrap.sh` picks
    /// 172.20.0.10 when any VPC CIDR starts with `10.` (awslabs/amazon-eks-ami
    /// `files/bootstrap.sh`, DNS_CLUSTER_IP), EKS's documented rule looks at the VPC. With the
    /// Amazon VPC user guide's IPv4 CIDR block association restrictions enforced, a 10.x
    /// secondary CIDR is possible only beside a 10.x primary, so "any CIDR in 10.0.0.0/8" and
    /// "the primary in 10.0.0.0/8" agree on every VPC AWS accepts, and the default never
    /// overlaps one of the VPC's CIDRs.
    #[test]
    fn the_default_service_cidr_agrees_with_the_eks_ami_on_every_vpc_aws_accepts() {
        use crate::model::aws::vpc::association_restriction;
        let samples = [
            "10.0.0.0/16",
            "10.1.0.0/16",
            "10.100.0.0/16",
            "10.200.0.0/16",
            "172.16.0.0/16",
            "172.20.0.0/16",
            "172.31.0.0/16",
            "192.168.0.0/16",
            "198.19.0.0/16",
            "100.64.0.0/16",
            "52.0.0.0/16",
        ];
        let ten: Ipv4Net = "10.0.0.0/8".parse().unwrap();
        let mut accepted = 0;
        for p in samples {
            for s in samples {
                let (p, s): (Ipv4Net, Ipv4Net) = (p.parse().unwrap(), s.parse().unwrap());
                if p.contains(&s.network()) || s.contains(&p.network()) {
                    continue;
                }
                if association_restriction(p, s).is_some() {
                    continue;
                }
                accepted += 1;
                let v = Vpc { cidrs: vec![p, s] };
                let by_primary = if ten.contains(&p) {
                    "172.20.0.0/16"
                } else {
                    "10.100.0.0/16"
                };
                let d = default_service_cidr(&v);
                assert_eq!(d.to_string(), by_primary, "{p} + {s}");
                assert!(
                    v.cidrs
                        .iter()
                        .all(|c| !c.contains(&d.network()) && !d.contains(&c.network())),
                    "{p} + {s}: the default {d} overlaps the VPC"
                );
            }
        }
        assert!(accepted > 20, "{accepted}");
        // Without the table (a VPC AWS refuses) the two rules would differ.
        let refused = Vpc {
            cidrs: vec![
                "192.168.0.0/16".parse().unwrap(),
                "10.0.0.0/16".parse().unwrap(),
            ],
        };
        assert_eq!(default_service_cidr(&refused).to_string(), "172.20.0.0/16");
    }

    /// EKS API reference, `KubernetesNetworkConfigRequest.ipFamily`: "Kubernetes assigns
    /// services IPv6 addresses from the unique local address range (fc00::/7). You can't
    /// specify a custom IPv6 CIDR block", and `serviceIpv4Cidr`: "Don't specify a value if you
    /// select ipv6". Cluster DNS is `::a` (awslabs/amazon-eks-ami `files/bootstrap.sh`).
    #[test]
    fn an_ipv6_cluster_gets_a_unique_local_service_cidr() {
        let v = vpc("10.0.0.0/16");
        let mut problems = Vec::new();
        let cidr = service_cidr(None, None, IpFamily::IPv6, "demo", &v, &mut problems);
        assert!(problems.is_empty());
        let IpNet::V6(c) = cidr else { panic!("{cidr}") };
        assert!("fd00::/8".parse::<Ipv6Net>().unwrap().contains(&c));
        assert_eq!(c.prefix_len(), 108);
        assert_eq!(
            cidr,
            service_cidr(None, None, IpFamily::IPv6, "demo", &v, &mut problems)
        );
        assert_ne!(
            cidr,
            service_cidr(None, None, IpFamily::IPv6, "other", &v, &mut problems)
        );
        assert_eq!(nth(cidr, 10).to_string(), format!("{}a", c.network()));
        assert_eq!(size(cidr), 1 << 20);
        // The range EKS assigned can be given; it is checked.
        let given = service_cidr(
            None,
            Some("fd30:1c53:5f8a::/108"),
            IpFamily::IPv6,
            "demo",
            &v,
            &mut problems,
        );
        assert_eq!(given.to_string(), "fd30:1c53:5f8a::/108");
        assert!(problems.is_empty());
        for (text, says) in [
            ("2001:db8::/108", "must be inside fc00::/7"),
            ("fd00::/64", "a /108 to a /120"),
            ("fd00::1/108", "host bits"),
            ("10.0.0.0/16", "not an IPv6 CIDR"),
        ] {
            problems.clear();
            service_cidr(None, Some(text), IpFamily::IPv6, "demo", &v, &mut problems);
            assert!(problems[0].message.contains(says), "{text}: {problems:?}");
            assert_eq!(problems[0].path.as_str(), "cluster.serviceIPv6CIDR");
        }
        // Each field belongs to one family.
        problems.clear();
        service_cidr(
            Some("172.20.0.0/16"),
            None,
            IpFamily::IPv6,
            "demo",
            &v,
            &mut problems,
        );
        assert_eq!(problems[0].path.as_str(), "cluster.serviceIPv4CIDR");
        problems.clear();
        service_cidr(
            None,
            Some("fd00::/108"),
            IpFamily::IPv4,
            "demo",
            &v,
            &mut problems,
        );
        assert_eq!(problems[0].path.as_str(), "cluster.serviceIPv6CIDR");
    }
}
