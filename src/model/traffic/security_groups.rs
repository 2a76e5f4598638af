//! Security groups on a flow's path: the cluster security group on nodes and on the
//! cross-account ENIs, and pods' own groups on their branch ENIs (security groups for pods),
//! with the rules the scenario's `securityGroups` gives them.
//!
//! EC2's semantics: a packet is let in when any rule of any of the ENI's groups allows its
//! protocol, port and source (a CIDR holding the source address, or a group the source ENI
//! carries); groups are stateful, so replies need no rule. A group with no `egress` allows all
//! outbound. The cluster security group allows all traffic from itself and all outbound (EKS
//! user guide, "Amazon EKS security group requirements"); `id: cluster` adds inbound rules to it.
//! A pod group the scenario does not define is assumed to allow everything, and the hop says so.

use std::collections::HashMap;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::scenario::{Path, Problem, RuleProtocol, SecurityGroup};

/// The id that stands for the cluster security group in rules and in `securityGroups`.
pub const CLUSTER: &str = "cluster";

#[derive(Debug, Clone, PartialEq, Eq)]
enum Peer {
    Cidr(IpNet),
    Group(String),
    Cluster,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    protocol: RuleProtocol,
    ports: (u16, u16),
    peer: Peer,
    /// As the user wrote it, for messages: `tcp 5432 from sg-web`.
    text: String,
}

impl Rule {
    fn matches(
        &self,
        protocol: RuleProtocol,
        port: u16,
        ip: IpAddr,
        groups: &[String],
        cluster_sg: &str,
    ) -> bool {
        let proto_ok = self.protocol == RuleProtocol::All || self.protocol == protocol;
        let port_ok =
            self.protocol == RuleProtocol::All || (self.ports.0..=self.ports.1).contains(&port);
        let peer_ok = match &self.peer {
            Peer::Cidr(net) => net.contains(&ip),
            Peer::Group(g) => groups.iter().any(|x| x == g),
            Peer::Cluster => groups.iter().any(|x| x == cluster_sg),
        };
        proto_ok && port_ok && peer_ok
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Group {
    ingress: Vec<Rule>,
    /// `None` = all outbound.
    egress: Option<Vec<Rule>>,
}

/// Who sends (or receives) a packet, as a security group sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub ip: IpAddr,
    /// Groups of the ENI the address belongs to (empty for the internet).
    pub groups: Vec<String>,
}

impl Party {
    pub fn external(ip: IpAddr) -> Party {
        Party {
            ip,
            groups: Vec::new(),
        }
    }

    /// `sg-web (10.0.17.23)`, or the address alone.
    fn describe(&self) -> String {
        if self.groups.is_empty() {
            self.ip.to_string()
        } else {
            format!("{} ({})", self.groups.join(", "), self.ip)
        }
    }
}

/// The outcome of one evaluation, with the sentence for the hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allowed(String),
    Denied(String),
}

/// The scenario's groups, parsed once.
#[derive(Debug, Clone, Default)]
pub struct SecurityGroups {
    groups: HashMap<String, Group>,
    cluster_sg: String,
}

fn proto_name(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "tcp",
        RuleProtocol::Udp => "udp",
        RuleProtocol::All => "all",
    }
}

fn is_group_id(sg: &str) -> bool {
    sg.strip_prefix("sg-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn parse_ports(protocol: RuleProtocol, text: &str) -> Result<(u16, u16), String> {
    let text = text.trim();
    if text == "all" {
        return Ok((0, u16::MAX));
    }
    if protocol == RuleProtocol::All {
        return Err("protocol all covers every port; write ports: all".into());
    }
    let one = |t: &str| {
        t.trim().parse::<u16>().map_err(|_| {
            format!(
                "`{}` is not a port: write 5432, 30000-32767 or all",
                super::flow::short(text)
            )
        })
    };
    let (a, b) = match text.split_once('-') {
        Some((a, b)) => (one(a)?, one(b)?),
        None => {
            let p = one(text)?;
            (p, p)
        }
    };
    if a > b {
        return Err(format!("the range {a}-{b} runs backwards"));
    }
    Ok((a, b))
}

fn parse_peer(text: &str) -> Result<Peer, String> {
    let text = text.trim();
    if text == CLUSTER {
        return Ok(Peer::Cluster);
    }
    if is_group_id(text) {
        return Ok(Peer::Group(text.to_string()));
    }
    text.parse::<IpNet>().map(|n| Peer::Cidr(n.trunc())).map_err(|_| {
        format!(
            "`{}` is neither a CIDR (10.0.0.0/16), a security group id (sg- and 8 or 17 hexadecimal digits) nor `cluster`",
            super::flow::short(text)
        )
    })
}

fn parse_rule(
    protocol: RuleProtocol,
    ports: &str,
    peer: &str,
    arrow: &str,
) -> Result<Rule, (bool, String)> {
    let ports_range = parse_ports(protocol, ports).map_err(|m| (true, m))?;
    let peer_parsed = parse_peer(peer).map_err(|m| (false, m))?;
    let port_text = if ports_range == (0, u16::MAX) {
        "all ports".to_string()
    } else if ports_range.0 == ports_range.1 {
        ports_range.0.to_string()
    } else {
        format!("{}-{}", ports_range.0, ports_range.1)
    };
    Ok(Rule {
        protocol,
        ports: ports_range,
        peer: peer_parsed,
        text: format!(
            "{} {port_text} {arrow} {}",
            proto_name(protocol),
            peer.trim()
        ),
    })
}

/// Every problem in the scenario's `securityGroups`, with the path to its field.
pub fn check(groups: &[SecurityGroup]) -> Vec<Problem> {
    let mut problems = Vec::new();
    parse(groups, "", &mut problems);
    problems
}

fn parse(specs: &[SecurityGroup], cluster_sg: &str, problems: &mut Vec<Problem>) -> SecurityGroups {
    let base = Path::root().field("securityGroups");
    let mut groups: HashMap<String, Group> = HashMap::new();
    for (i, g) in specs.iter().enumerate() {
        let path = base.index(i);
        if g.id != CLUSTER && !is_group_id(&g.id) {
            problems.push(Problem::new(
                path.field("id"),
                format!(
                    "`{}` is not a security group id (sg- and 8 or 17 hexadecimal digits) or `cluster`",
                    super::flow::short(&g.id)
                ),
            ));
            continue;
        }
        if groups.contains_key(&g.id) {
            problems.push(Problem::new(
                path.field("id"),
                format!("security group {} is defined twice", g.id),
            ));
            continue;
        }
        if g.id == CLUSTER && g.egress.is_some() {
            problems.push(Problem::new(
                path.field("egress"),
                "the cluster security group allows all outbound traffic; only inbound rules can be added to it",
            ));
        }
        let mut group = Group::default();
        for (j, r) in g.ingress.iter().enumerate() {
            match parse_rule(r.protocol, &r.ports, &r.from, "from") {
                Ok(rule) => group.ingress.push(rule),
                Err((on_ports, m)) => problems.push(Problem::new(
                    path.field("ingress")
                        .index(j)
                        .field(if on_ports { "ports" } else { "from" }),
                    m,
                )),
            }
        }
        if let Some(egress) = &g.egress {
            let mut rules = Vec::new();
            for (j, r) in egress.iter().enumerate() {
                match parse_rule(r.protocol, &r.ports, &r.to, "to") {
                    Ok(rule) => rules.push(rule),
                    Err((on_ports, m)) => problems.push(Problem::new(
                        path.field("egress")
                            .index(j)
                            .field(if on_ports { "ports" } else { "to" }),
                        m,
                    )),
                }
            }
            group.egress = Some(rules);
        }
        groups.insert(g.id.clone(), group);
    }
    SecurityGroups {
        groups,
        cluster_sg: cluster_sg.to_string(),
    }
}

impl SecurityGroups {
    /// Parses the scenario's groups; rules that do not parse are left out ([`check`] reports them).
    pub fn new(specs: &[SecurityGroup], cluster_sg: &str) -> SecurityGroups {
        parse(specs, cluster_sg, &mut Vec::new())
    }

    pub fn cluster_sg(&self) -> &str {
        &self.cluster_sg
    }

    /// Whether the scenario gives this group's rules.
    pub fn is_defined(&self, id: &str) -> bool {
        self.groups.contains_key(id)
    }

    /// Inbound evaluation on an ENI carrying `groups` (the cluster security group's own name
    /// stands for it).
    pub fn inbound(
        &self,
        groups: &[String],
        from: &Party,
        protocol: RuleProtocol,
        port: u16,
    ) -> Decision {
        let cluster = self.cluster_sg.as_str();
        let what = format!("{}/{port}", proto_name(protocol));
        let mut undefined = Vec::new();
        for g in groups {
            if g == cluster {
                if from.groups.iter().any(|x| x == cluster) {
                    return Decision::Allowed(format!(
                        "security group {cluster} allows {what} from {}: all traffic from itself",
                        from.describe()
                    ));
                }
                if let Some(rule) = self.groups.get(CLUSTER).and_then(|c| {
                    c.ingress
                        .iter()
                        .find(|r| r.matches(protocol, port, from.ip, &from.groups, cluster))
                }) {
                    return Decision::Allowed(format!(
                        "security group {cluster} allows {what} from {} (rule: {})",
                        from.describe(),
                        rule.text
                    ));
                }
                continue;
            }
            match self.groups.get(g) {
                None => undefined.push(g.as_str()),
                Some(def) => {
                    if let Some(rule) = def
                        .ingress
                        .iter()
                        .find(|r| r.matches(protocol, port, from.ip, &from.groups, cluster))
                    {
                        return Decision::Allowed(format!(
                            "security group {g} allows {what} from {} (rule: {})",
                            from.describe(),
                            rule.text
                        ));
                    }
                }
            }
        }
        if let Some(g) = undefined.first() {
            return Decision::Allowed(format!(
                "security group {g} is not defined in securityGroups; assumed to allow {what} from {}",
                from.describe()
            ));
        }
        Decision::Denied(format!(
            "{} no inbound rule for {what} from {}",
            groups_have(groups),
            from.describe()
        ))
    }

    /// Outbound evaluation from an ENI carrying `groups`.
    pub fn outbound(
        &self,
        groups: &[String],
        to: &Party,
        protocol: RuleProtocol,
        port: u16,
    ) -> Decision {
        let cluster = self.cluster_sg.as_str();
        let what = format!("{}/{port}", proto_name(protocol));
        for g in groups {
            let rules = if g == cluster {
                None
            } else {
                self.groups.get(g).and_then(|d| d.egress.as_ref())
            };
            match rules {
                None => {
                    return Decision::Allowed(format!(
                        "security group {g} allows all outbound traffic"
                    ))
                }
                Some(rules) => {
                    if let Some(rule) = rules
                        .iter()
                        .find(|r| r.matches(protocol, port, to.ip, &to.groups, cluster))
                    {
                        return Decision::Allowed(format!(
                            "security group {g} allows {what} to {} (rule: {})",
                            to.describe(),
                            rule.text
                        ));
                    }
                }
            }
        }
        if groups.is_empty() {
            return Decision::Allowed("no security group".into());
        }
        Decision::Denied(format!(
            "{} no outbound rule for {what} to {}",
            groups_have(groups),
            to.describe()
        ))
    }
}

fn groups_have(groups: &[String]) -> String {
    if groups.len() == 1 {
        format!("security group {} has", groups[0])
    } else {
        format!("security groups {} have", groups.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{SecurityGroupEgress, SecurityGroupIngress};

    const CSG: &str = "eks-cluster-sg-demo";

    fn ingress(ports: &str, from: &str) -> SecurityGroupIngress {
        SecurityGroupIngress {
            protocol: RuleProtocol::Tcp,
            ports: ports.into(),
            from: from.into(),
        }
    }

    fn party(ip: &str, groups: &[&str]) -> Party {
        Party {
            ip: ip.parse().unwrap(),
            groups: groups.iter().map(|g| g.to_string()).collect(),
        }
    }

    fn db() -> Vec<SecurityGroup> {
        vec![
            SecurityGroup {
                id: "sg-0db00001".into(),
                ingress: vec![ingress("5432", "sg-0e0b0001")],
                egress: Some(vec![]),
            },
            SecurityGroup {
                id: "sg-0e0b0001".into(),
                ingress: vec![
                    ingress("8080", "10.0.0.0/16"),
                    ingress("30000-32767", "cluster"),
                ],
                egress: None,
            },
        ]
    }

    #[test]
    fn a_rule_from_a_group_lets_its_members_in_and_names_what_is_missing() {
        let sgs = SecurityGroups::new(&db(), CSG);
        let groups = vec!["sg-0db00001".to_string()];
        let web = party("10.0.17.23", &["sg-0e0b0001"]);
        assert!(matches!(
            sgs.inbound(&groups, &web, RuleProtocol::Tcp, 5432),
            Decision::Allowed(m) if m.contains("rule: tcp 5432 from sg-0e0b0001")
        ));
        let other = party("10.0.17.24", &[CSG]);
        assert_eq!(
            sgs.inbound(&groups, &other, RuleProtocol::Tcp, 5432),
            Decision::Denied(format!(
                "security group sg-0db00001 has no inbound rule for tcp/5432 from {CSG} (10.0.17.24)"
            ))
        );
        assert!(matches!(
            sgs.inbound(&groups, &web, RuleProtocol::Udp, 5432),
            Decision::Denied(_)
        ));
        // Egress [] allows nothing; an absent egress allows everything.
        let internet = party("203.0.113.10", &[]);
        assert!(matches!(
            sgs.outbound(&groups, &internet, RuleProtocol::Tcp, 443),
            Decision::Denied(m) if m == "security group sg-0db00001 has no outbound rule for tcp/443 to 203.0.113.10"
        ));
        assert!(matches!(
            sgs.outbound(
                &["sg-0e0b0001".to_string()],
                &internet,
                RuleProtocol::Tcp,
                443
            ),
            Decision::Allowed(_)
        ));
    }

    #[test]
    fn cidrs_ranges_and_the_cluster_group() {
        let sgs = SecurityGroups::new(&db(), CSG);
        let web = vec!["sg-0e0b0001".to_string()];
        assert!(matches!(
            sgs.inbound(&web, &party("10.0.99.1", &[]), RuleProtocol::Tcp, 8080),
            Decision::Allowed(_)
        ));
        assert!(matches!(
            sgs.inbound(&web, &party("10.1.0.1", &[]), RuleProtocol::Tcp, 8080),
            Decision::Denied(_)
        ));
        assert!(matches!(
            sgs.inbound(&web, &party("10.0.16.5", &[CSG]), RuleProtocol::Tcp, 31000),
            Decision::Allowed(_)
        ));
        // The cluster group: all from itself, nothing else unless `id: cluster` adds it.
        let cluster = vec![CSG.to_string()];
        assert!(matches!(
            sgs.inbound(&cluster, &party("10.0.16.5", &[CSG]), RuleProtocol::Udp, 53),
            Decision::Allowed(m) if m.contains("all traffic from itself")
        ));
        let pod = party("10.0.17.23", &["sg-0e0b0001"]);
        assert!(matches!(
            sgs.inbound(&cluster, &pod, RuleProtocol::Tcp, 443),
            Decision::Denied(m) if m.contains(&format!("security group {CSG} has no inbound rule for tcp/443 from sg-0e0b0001"))
        ));
        let mut with_cluster = db();
        with_cluster.push(SecurityGroup {
            id: CLUSTER.into(),
            ingress: vec![ingress("all", "sg-0e0b0001")],
            egress: None,
        });
        let sgs = SecurityGroups::new(&with_cluster, CSG);
        assert!(matches!(
            sgs.inbound(&cluster, &pod, RuleProtocol::Tcp, 443),
            Decision::Allowed(_)
        ));
    }

    #[test]
    fn an_undefined_group_is_assumed_open_and_says_so() {
        let sgs = SecurityGroups::new(&[], CSG);
        assert!(matches!(
            sgs.inbound(&["sg-01234567".to_string()], &party("10.0.0.1", &[]), RuleProtocol::Tcp, 80),
            Decision::Allowed(m) if m.contains("not defined in securityGroups")
        ));
    }

    #[test]
    fn bad_rules_are_reported_with_their_path() {
        let groups = vec![
            SecurityGroup {
                id: "sg-db".into(),
                ingress: vec![],
                egress: None,
            },
            SecurityGroup {
                id: "sg-0db00001".into(),
                ingress: vec![
                    ingress("70000", "10.0.0.0/16"),
                    ingress("5432", "everyone"),
                    SecurityGroupIngress {
                        protocol: RuleProtocol::All,
                        ports: "80".into(),
                        from: "cluster".into(),
                    },
                    ingress("90-80", "10.0.0.0/8"),
                ],
                egress: Some(vec![SecurityGroupEgress {
                    protocol: RuleProtocol::Udp,
                    ports: "53".into(),
                    to: "10.0.0.0/33".into(),
                }]),
            },
            SecurityGroup {
                id: "sg-0db00001".into(),
                ingress: vec![],
                egress: None,
            },
        ];
        let text: Vec<String> = check(&groups).iter().map(|p| p.to_string()).collect();
        assert_eq!(text.len(), 7, "{text:#?}");
        assert!(text[0].starts_with("securityGroups[0].id: `sg-db` is not a security group id"));
        assert!(text[1].starts_with("securityGroups[1].ingress[0].ports: `70000` is not a port"));
        assert!(text[2].starts_with("securityGroups[1].ingress[1].from: `everyone` is neither"));
        assert!(text[3].starts_with("securityGroups[1].ingress[2].ports: protocol all"));
        assert!(text[4]
            .starts_with("securityGroups[1].ingress[3].ports: the range 90-80 runs backwards"));
        assert!(text[5].starts_with("securityGroups[1].egress[0].to:"));
        assert!(text[6]
            .starts_with("securityGroups[2].id: security group sg-0db00001 is defined twice"));
    }
}
