//! The VPC: its CIDRs and the rules its subnets must follow.

use std::collections::HashSet;

use ipnet::Ipv4Net;

use super::cidr_set::CidrSet;
use super::subnet::{Subnet, SubnetUsage};
use crate::model::work;
use crate::scenario::limits::DNS_LABEL_MAX;
use crate::scenario::{self, Path, Problem};

/// AWS accepts VPC and subnet IPv4 CIDRs from /16 to /28.
pub const MIN_PREFIX: u8 = 16;
pub const MAX_PREFIX: u8 = 28;

/// The customer VPC: primary CIDR first, then secondary CIDRs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vpc {
    pub cidrs: Vec<Ipv4Net>,
}

impl Vpc {
    pub fn primary(&self) -> Ipv4Net {
        self.cidrs[0]
    }

    /// The CIDRs in a few words however many there are: `10.0.0.0/16`, or
    /// `10.0.0.0/16 and 2 secondary CIDRs`. Messages about one subnet use this, never the
    /// whole list, so N subnets give N short messages, not N copies of N CIDRs.
    pub fn cidr_summary(&self) -> String {
        match self.cidrs.split_first() {
            None => "none".to_string(),
            Some((primary, [])) => primary.to_string(),
            Some((primary, [_])) => format!("{primary} and 1 secondary CIDR"),
            Some((primary, rest)) => format!("{primary} and {} secondary CIDRs", rest.len()),
        }
    }

    /// The CIDRs as text, `10.0.0.0/16, 100.64.0.0/16` (at most 50: `scenario::limits`).
    pub fn cidr_list(&self) -> String {
        self.cidrs
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn contains(&self, ip: std::net::Ipv4Addr) -> bool {
        self.cidrs.iter().any(|c| c.contains(&ip))
    }
}

/// Parses an IPv4 CIDR with a message a user understands.
pub fn parse_cidr(text: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not an IPv4 CIDR (write it like 10.0.0.0/16)"))?;
    if net.network() != net.addr() {
        return Err(format!(
            "`{text}` has host bits set; did you mean {}?",
            net.trunc()
        ));
    }
    Ok(net)
}

fn check_prefix(net: Ipv4Net, what: &str) -> Result<(), String> {
    let p = net.prefix_len();
    if (MIN_PREFIX..=MAX_PREFIX).contains(&p) {
        Ok(())
    } else {
        Err(format!(
            "{net} is a /{p}; a {what} CIDR must be between /{MIN_PREFIX} and /{MAX_PREFIX}"
        ))
    }
}

/// Checks the VPC's CIDRs. `None` when the primary CIDR is unusable (nothing else can be placed).
pub fn build_vpc(spec: &scenario::Vpc, problems: &mut Vec<Problem>) -> Option<Vpc> {
    let path = Path::root().field("vpc");
    let primary = match parse_cidr(&spec.cidr).and_then(|n| check_prefix(n, "VPC").map(|_| n)) {
        Ok(n) => Some(n),
        Err(m) => {
            problems.push(Problem::new(path.field("cidr"), m));
            None
        }
    };
    let mut cidrs: Vec<Ipv4Net> = primary.into_iter().collect();
    // The CIDRs accepted so far, in address order: each new one is one lookup, not a
    // comparison with every earlier one.
    let mut taken: CidrSet<()> = CidrSet::new();
    if let Some(p) = primary {
        let _ = taken.insert(p, ());
    }
    for (i, text) in spec.secondary_cidrs.iter().enumerate() {
        let p = path.field("secondaryCidrs").index(i);
        match parse_cidr(text).and_then(|n| check_prefix(n, "VPC").map(|_| n)) {
            Ok(n) => match taken.overlapping(n) {
                Some((c, _)) => {
                    problems.push(Problem::new(p, format!("{n} overlaps the VPC's CIDR {c}")))
                }
                None => match primary.and_then(|primary| association_restriction(primary, n)) {
                    Some(m) => problems.push(Problem::new(p, m)),
                    None => {
                        let _ = taken.insert(n, ());
                        cidrs.push(n);
                    }
                },
            },
            Err(m) => problems.push(Problem::new(p, m)),
        }
    }
    primary.map(|_| Vpc { cidrs })
}

/// The RFC 1918 private ranges.
const RFC_1918: [(&str, [u8; 4], u8); 3] = [
    ("10.0.0.0/8", [10, 0, 0, 0], 8),
    ("172.16.0.0/12", [172, 16, 0, 0], 12),
    ("192.168.0.0/16", [192, 168, 0, 0], 16),
];

fn net(octets: [u8; 4], len: u8) -> Ipv4Net {
    Ipv4Net::new(octets.into(), len).expect("a valid prefix length")
}

/// `cidr` lies in the range (a VPC CIDR is /16 or longer, so it is inside each range named
/// here or outside it: overlapping is containment).
fn inside(cidr: Ipv4Net, octets: [u8; 4], len: u8) -> bool {
    net(octets, len).contains(&cidr.network())
}

/// The Amazon VPC user guide's "IPv4 CIDR block association restrictions" table
/// (<https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html#add-cidr-block-restrictions>;
/// awsdocs/amazon-vpc-user-guide `doc_source/VPC_Subnets.md`): which secondary CIDRs AWS refuses
/// beside a primary CIDR, by the range the primary lies in. `Some(message)` naming the rule
/// when `secondary` is refused.
///
/// | primary in | refused secondaries |
/// |---|---|
/// | 10.0.0.0/8 | 172.16.0.0/12, 192.168.0.0/16; 10.0.0.0/16 when the primary is in 10.0.0.0/15; 198.19.0.0/16 |
/// | 172.16.0.0/12 | 10.0.0.0/8, 192.168.0.0/16; 172.31.0.0/16; 198.19.0.0/16 |
/// | 192.168.0.0/16 | 10.0.0.0/8, 172.16.0.0/12; 198.19.0.0/16 |
/// | 198.19.0.0/16 | every RFC 1918 range |
/// | anything else (public, 100.64.0.0/10) | every RFC 1918 range; 198.19.0.0/16 |
pub fn association_restriction(primary: Ipv4Net, secondary: Ipv4Net) -> Option<String> {
    const RULE: &str = "AWS's IPv4 CIDR block association restrictions";
    let primary_range = RFC_1918
        .iter()
        .find(|(_, o, l)| inside(primary, *o, *l))
        .map(|(name, _, _)| *name);
    let in_198_19 = |c: Ipv4Net| inside(c, [198, 19, 0, 0], 16);
    let other_private = RFC_1918
        .iter()
        .find(|(name, o, l)| Some(*name) != primary_range && inside(secondary, *o, *l));
    let (range, why) = if let Some((name, _, _)) = other_private {
        let why = match primary_range {
            Some(p) => {
                format!(
                    "a VPC whose primary CIDR is in {p} cannot add one from another RFC 1918 range"
                )
            }
            None if in_198_19(primary) => {
                "a VPC whose primary CIDR is in 198.19.0.0/16 cannot add one from an RFC 1918 range"
                    .to_string()
            }
            None => {
                "a VPC whose primary CIDR is outside RFC 1918 cannot add one from an RFC 1918 range"
                    .to_string()
            }
        };
        (*name, why)
    } else if primary_range == Some("10.0.0.0/8")
        && inside(primary, [10, 0, 0, 0], 15)
        && inside(secondary, [10, 0, 0, 0], 16)
    {
        (
            "10.0.0.0/16",
            "a VPC whose primary CIDR is in 10.0.0.0/15 cannot add one from 10.0.0.0/16".into(),
        )
    } else if primary_range == Some("172.16.0.0/12") && inside(secondary, [172, 31, 0, 0], 16) {
        (
            "172.31.0.0/16",
            "a VPC whose primary CIDR is in 172.16.0.0/12 cannot add one from 172.31.0.0/16".into(),
        )
    } else if !in_198_19(primary) && in_198_19(secondary) {
        (
            "198.19.0.0/16",
            "only a VPC whose primary CIDR is in 198.19.0.0/16 can add one from 198.19.0.0/16"
                .into(),
        )
    } else {
        return None;
    };
    Some(format!(
        "{secondary} is in {range}, beside the primary CIDR {primary}: {why} ({RULE})"
    ))
}

/// Checks every subnet and returns those that are valid, in document order.
pub fn build_subnets(
    spec: &scenario::Vpc,
    vpc: Option<&Vpc>,
    problems: &mut Vec<Problem>,
) -> Vec<Subnet> {
    let base = Path::root().field("vpc").field("subnets");
    let mut subnets: Vec<Subnet> = Vec::new();
    let mut seen_names: HashSet<&str> = HashSet::with_capacity(spec.subnets.len());
    // The VPC's CIDRs and the valid subnets so far, in address order (one lookup each).
    let mut vpc_cidrs: CidrSet<()> = CidrSet::new();
    for c in vpc.map_or(&[][..], |v| &v.cidrs[..]) {
        let _ = vpc_cidrs.insert(*c, ());
    }
    let mut taken: CidrSet<usize> = CidrSet::new();
    let region = spec.subnets.iter().find_map(|s| region_of(&s.az));
    for (i, s) in spec.subnets.iter().enumerate() {
        let path = base.index(i);
        let mut ok = true;
        if let Err(m) = check_name(&s.name) {
            problems.push(Problem::new(path.field("name"), m));
            ok = false;
        } else if !seen_names.insert(&s.name) {
            problems.push(Problem::new(
                path.field("name"),
                format!("another subnet is already named `{}`", s.name),
            ));
            ok = false;
        }
        work::tick();
        match (region_of(&s.az), region) {
            (None, _) => {
                problems.push(Problem::new(
                    path.field("az"),
                    format!(
                        "`{}` is not an Availability Zone name (write it like us-east-1a)",
                        quoted(&s.az)
                    ),
                ));
                ok = false;
            }
            (Some(r), Some(first)) if r != first => {
                problems.push(Problem::new(
                    path.field("az"),
                    format!("{} is in region {}, but the VPC's first subnet is in {}; a VPC lives in one region", quoted(&s.az), quoted(r), quoted(first)),
                ));
                ok = false;
            }
            _ => {}
        }
        let cidr = match parse_cidr(&s.cidr).and_then(|n| check_prefix(n, "subnet").map(|_| n)) {
            Ok(n) => n,
            Err(m) => {
                problems.push(Problem::new(path.field("cidr"), m));
                continue;
            }
        };
        if let Some(vpc) = vpc {
            if vpc_cidrs.containing(cidr).is_none() {
                // Named by the primary CIDR and a count: the message stays the same size
                // however many CIDRs the VPC has.
                problems.push(Problem::new(
                    path.field("cidr"),
                    format!("{cidr} is outside the VPC's CIDRs ({})", vpc.cidr_summary()),
                ));
                ok = false;
            }
        }
        if let Some((other_cidr, &other)) = taken.overlapping(cidr) {
            problems.push(Problem::new(
                path.field("cidr"),
                format!(
                    "{cidr} overlaps subnet {} ({other_cidr})",
                    subnets[other].name
                ),
            ));
            ok = false;
        }
        if ok {
            let _ = taken.insert(cidr, subnets.len());
            subnets.push(Subnet {
                id: crate::model::Id::Subnet(s.name.clone()),
                name: s.name.clone(),
                az: s.az.clone(),
                cidr,
                public: s.public,
                usage: SubnetUsage::default(),
                capacity: Default::default(),
            });
        }
    }
    if spec.subnets.is_empty() {
        problems.push(Problem::new(
            base,
            "the VPC has no subnets; add at least one per Availability Zone",
        ));
    }
    subnets
}

/// `text` as a message quotes it: escaped and cut to 40 characters, so that a megabyte-long
/// value in a link does not come back as a megabyte-long message (found by fuzzing).
fn quoted(text: &str) -> String {
    let mut out = text
        .chars()
        .take(40)
        .collect::<String>()
        .escape_default()
        .to_string();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// `us-east-1` for `us-east-1a`; `None` when the name does not look like an AZ.
pub fn region_of(az: &str) -> Option<&str> {
    let (cut, zone) = az.char_indices().last()?;
    let region = &az[..cut];
    let zone_ok = zone.is_ascii_lowercase();
    let region_ok = region.len() >= 4
        && region.ends_with(|c: char| c.is_ascii_digit())
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    (zone_ok && region_ok).then_some(region)
}

/// Names become ids and link text: keep them short and plain.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name is required".into());
    }
    if name.len() > DNS_LABEL_MAX {
        let start: String = name.chars().take(20).collect();
        return Err(format!(
            "`{}…` is {} bytes long; names are at most {DNS_LABEL_MAX}",
            start.escape_default(),
            name.len()
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        return Err(format!(
            "`{}` may only use letters, digits, `-`, `_` and `.`",
            name.escape_default()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    fn problems_of(spec: &scenario::Vpc) -> Vec<Problem> {
        let mut problems = Vec::new();
        let vpc = build_vpc(spec, &mut problems);
        build_subnets(spec, vpc.as_ref(), &mut problems);
        problems
    }

    #[test]
    fn the_default_vpc_is_valid() {
        assert_eq!(problems_of(&default_scenario().vpc), vec![]);
    }

    #[test]
    fn cidr_messages_name_the_fix() {
        assert!(parse_cidr("10.0.0.0/33")
            .unwrap_err()
            .contains("not an IPv4 CIDR"));
        assert!(parse_cidr("10.0.0.1/16")
            .unwrap_err()
            .contains("did you mean 10.0.0.0/16"));
        assert!(parse_cidr("banana").is_err());
    }

    #[test]
    fn subnet_rules_each_report_their_path() {
        let mut spec = default_scenario().vpc;
        spec.subnets[1].cidr = "10.0.0.0/23".into(); // overlaps public-a
        spec.subnets[2].cidr = "10.1.0.0/24".into(); // outside
        spec.subnets[3].cidr = "10.0.16.0/29".into(); // too small
        spec.subnets[4].name = "public-a".into(); // duplicate
        spec.subnets[5].az = "eu-west-1c".into(); // other region
        let problems = problems_of(&spec);
        let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            texts,
            vec![
                "vpc.subnets[1].cidr: 10.0.0.0/23 overlaps subnet public-a (10.0.0.0/24)",
                "vpc.subnets[2].cidr: 10.1.0.0/24 is outside the VPC's CIDRs (10.0.0.0/16)",
                "vpc.subnets[3].cidr: 10.0.16.0/29 is a /29; a subnet CIDR must be between /16 and /28",
                "vpc.subnets[4].name: another subnet is already named `public-a`",
                "vpc.subnets[5].az: eu-west-1c is in region eu-west-1, but the VPC's first subnet is in us-east-1; a VPC lives in one region",
            ]
        );
    }

    #[test]
    fn secondary_cidrs_hold_subnets() {
        let mut spec = default_scenario().vpc;
        spec.secondary_cidrs = vec!["100.64.0.0/16".into(), "10.0.128.0/17".into()];
        spec.subnets[0].cidr = "100.64.0.0/19".into();
        let problems = problems_of(&spec);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path.as_str(), "vpc.secondaryCidrs[1]");
        assert!(problems[0]
            .message
            .contains("overlaps the VPC's CIDR 10.0.0.0/16"));
    }

    /// Every row of the Amazon VPC user guide's "IPv4 CIDR block association restrictions"
    /// table (vpc-cidr-blocks.html#add-cidr-block-restrictions; awsdocs/amazon-vpc-user-guide
    /// `doc_source/VPC_Subnets.md`), refused and permitted cells both.
    #[test]
    fn secondary_cidrs_follow_the_vpc_association_restrictions_table() {
        let refused =
            |p: &str, s: &str| association_restriction(p.parse().unwrap(), s.parse().unwrap());
        // Primary in 10.0.0.0/8.
        for s in [
            "172.16.0.0/16",
            "172.31.0.0/16",
            "192.168.0.0/16",
            "198.19.0.0/16",
        ] {
            assert!(refused("10.0.0.0/16", s).is_some(), "{s}");
        }
        assert!(
            refused("10.1.0.0/16", "10.0.0.0/16").is_some(),
            "10.0.0.0/15 primary"
        );
        assert!(
            refused("10.1.0.0/16", "10.0.64.0/18").is_some(),
            "10.0.0.0/15 primary"
        );
        assert!(
            refused("10.2.0.0/16", "10.0.0.0/16").is_none(),
            "outside 10.0.0.0/15"
        );
        for s in [
            "10.3.0.0/16",
            "100.64.0.0/16",
            "52.0.0.0/16",
            "198.18.0.0/16",
        ] {
            assert!(refused("10.0.0.0/16", s).is_none(), "{s}");
        }
        // Primary in 172.16.0.0/12.
        for s in [
            "10.0.0.0/16",
            "192.168.0.0/16",
            "172.31.0.0/16",
            "198.19.0.0/16",
        ] {
            assert!(refused("172.20.0.0/16", s).is_some(), "{s}");
        }
        for s in ["172.30.0.0/16", "100.64.0.0/16", "52.0.0.0/16"] {
            assert!(refused("172.20.0.0/16", s).is_none(), "{s}");
        }
        // Primary in 192.168.0.0/16.
        for s in ["10.0.0.0/16", "172.16.0.0/16", "198.19.0.0/16"] {
            assert!(refused("192.168.0.0/20", s).is_some(), "{s}");
        }
        for s in ["192.168.16.0/20", "100.64.0.0/16", "52.0.0.0/16"] {
            assert!(refused("192.168.0.0/20", s).is_none(), "{s}");
        }
        // Primary in 198.19.0.0/16.
        for s in ["10.0.0.0/16", "172.16.0.0/16", "192.168.0.0/16"] {
            assert!(refused("198.19.0.0/20", s).is_some(), "{s}");
        }
        for s in ["100.64.0.0/16", "52.0.0.0/16"] {
            assert!(refused("198.19.0.0/20", s).is_none(), "{s}");
        }
        // Primary public or in 100.64.0.0/10.
        for p in ["100.64.0.0/16", "52.0.0.0/16"] {
            for s in [
                "10.0.0.0/16",
                "172.16.0.0/16",
                "192.168.0.0/16",
                "198.19.0.0/16",
            ] {
                assert!(refused(p, s).is_some(), "{p} {s}");
            }
            for s in ["100.65.0.0/16", "52.1.0.0/16"] {
                assert!(refused(p, s).is_none(), "{p} {s}");
            }
        }
        // The message names the range, the primary and the rule, at the field's path.
        let mut spec = default_scenario().vpc;
        spec.secondary_cidrs = vec!["100.64.0.0/16".into(), "192.168.0.0/16".into()];
        assert_eq!(
            problems_of(&spec)
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>(),
            vec!["vpc.secondaryCidrs[1]: 192.168.0.0/16 is in 192.168.0.0/16, beside the primary CIDR 10.0.0.0/16: a VPC whose primary CIDR is in 10.0.0.0/8 cannot add one from another RFC 1918 range (AWS's IPv4 CIDR block association restrictions)"]
        );
    }

    #[test]
    fn vpc_prefix_limits() {
        let mut spec = default_scenario().vpc;
        spec.cidr = "10.0.0.0/8".into();
        let problems = problems_of(&spec);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].to_string(),
            "vpc.cidr: 10.0.0.0/8 is a /8; a VPC CIDR must be between /16 and /28"
        );
    }

    #[test]
    fn hostile_names_are_refused_without_panicking() {
        assert!(check_name("<script>").is_err());
        assert!(check_name(&"é".repeat(40)).is_err());
        assert!(check_name("").is_err());
        assert!(check_name("private-a").is_ok());
        assert_eq!(region_of("us-east-1a"), Some("us-east-1"));
        assert_eq!(region_of("é"), None);
        assert_eq!(region_of(""), None);
    }
}
