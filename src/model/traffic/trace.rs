//! A traced flow: the hops of one representative path, the verdict, what the destination sees,
//! and how the connections spread over pods.

use std::net::{IpAddr, SocketAddr};

use serde_json::{json, Value};

use super::flow::Flow;
use super::hop::{Hop, HopKind};
use super::ratio::Ratio;
use super::shares::{Share, UnhealthyNode};

/// Whether the packet arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Delivered,
    /// Stopped at `at` (a hop's id) for `reason`.
    Dropped {
        at: crate::model::Id,
        reason: String,
    },
}

impl Verdict {
    pub fn is_delivered(&self) -> bool {
        matches!(self, Verdict::Delivered)
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Verdict::Delivered => None,
            Verdict::Dropped { reason, .. } => Some(reason),
        }
    }
}

/// The result of tracing one flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub flow: Flow,
    /// One representative path (the action texts say which choice was made where).
    pub hops: Vec<Hop>,
    pub verdict: Verdict,
    /// The destination sees the original source's address (the client's, or the calling pod's).
    pub client_ip_preserved: bool,
    /// The source address the destination sees, when delivered.
    pub client_ip_seen: Option<IpAddr>,
    /// The client's address in `X-Forwarded-For` (an ALB, a layer-7 proxy, adds it).
    pub forwarded_for: Option<IpAddr>,
    /// Every endpoint's share of the flow's connections, exact; empty for single-path flows.
    pub shares: Vec<Share>,
    /// Nodes that get nothing from the load balancer, and why.
    pub unhealthy_nodes: Vec<UnhealthyNode>,
    /// Share of connections that cross an AZ boundary at least once (load-balanced flows).
    pub cross_az_share: Option<Ratio>,
    /// Further remarks (DNS failover of an AZ, assumptions made).
    pub notes: Vec<String>,
    /// One or two sentences on why the path is what it is.
    pub explanation: String,
}

impl Trace {
    /// The JSON the CLI prints: `hops`, `verdict`, `reason`, `clientIpPreserved`, `shares`, and
    /// the extras (`flow`, `droppedAt`, `clientIpSeen`, `xForwardedFor`, `unhealthyNodes`,
    /// `crossAzShare`, `notes`, `explanation`).
    pub fn to_json(&self) -> Value {
        let fraction = |r: Ratio| json!({"share": r.to_f64(), "fraction": r.to_string()});
        json!({
            "flow": self.flow.to_string(),
            "hops": self.hops.iter().map(|h| json!({
                "at": h.at,
                "kind": h.kind.as_str(),
                "src": h.src.to_string(),
                "dst": h.dst.to_string(),
                "action": h.action,
                "crossAz": h.cross_az,
            })).collect::<Vec<_>>(),
            "verdict": if self.verdict.is_delivered() { "delivered" } else { "dropped" },
            "reason": self.verdict.reason(),
            "droppedAt": match &self.verdict {
                Verdict::Dropped { at, .. } => Some(at.to_string()),
                Verdict::Delivered => None,
            },
            "clientIpPreserved": self.client_ip_preserved,
            "clientIpSeen": self.client_ip_seen.map(|ip| ip.to_string()),
            "xForwardedFor": self.forwarded_for.map(|ip| ip.to_string()),
            "shares": self.shares.iter().map(|s| json!({
                "pod": s.pod,
                "node": s.node,
                "az": s.az,
                "share": s.share.to_f64(),
                "fraction": s.share.to_string(),
            })).collect::<Vec<_>>(),
            "unhealthyNodes": self.unhealthy_nodes.iter().map(|u| json!({
                "node": u.node,
                "reason": u.reason,
            })).collect::<Vec<_>>(),
            "crossAzShare": self.cross_az_share.map(fraction),
            "notes": self.notes,
            "explanation": self.explanation,
        })
    }

    /// A readable table: hop rows, the verdict, the shares.
    pub fn to_text(&self) -> String {
        let mut out = format!("flow {}\n", self.flow);
        let rows: Vec<[String; 5]> = self
            .hops
            .iter()
            .enumerate()
            .map(|(i, h)| {
                [
                    format!("{:>2}", i + 1),
                    h.at.to_string(),
                    h.src.to_string(),
                    h.dst.to_string(),
                    if h.cross_az {
                        "yes".into()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let head = ["#", "at", "src", "dst", "cross-AZ"];
        // Capped: `format!` panics on a width over u16::MAX, and a name in a link can be
        // longer than that (found by fuzzing).
        let width = |k: usize| {
            rows.iter()
                .map(|r| r[k].chars().count())
                .chain([head[k].len()])
                .max()
                .unwrap_or(0)
                .min(usize::from(u16::MAX))
        };
        let w: Vec<usize> = (0..5).map(width).collect();
        let line = |cells: [&str; 6]| {
            format!(
                "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {:<w4$}  {}",
                cells[0],
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                cells[5],
                w0 = w[0],
                w1 = w[1],
                w2 = w[2],
                w3 = w[3],
                w4 = w[4]
            )
            .trim_end()
            .to_string()
        };
        out.push_str(&line([
            head[0], head[1], head[2], head[3], head[4], "action",
        ]));
        out.push('\n');
        for (r, h) in rows.iter().zip(&self.hops) {
            let action = format!("[{}] {}", h.kind.as_str(), h.action);
            out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &action]));
            out.push('\n');
        }
        match &self.verdict {
            Verdict::Delivered => {
                out.push_str("verdict: delivered");
                if let Some(ip) = self.client_ip_seen {
                    out.push_str(&format!(
                        "; the destination sees {ip} ({})",
                        if self.client_ip_preserved {
                            "the original source"
                        } else {
                            "not the original source"
                        }
                    ));
                }
                if let Some(ip) = self.forwarded_for {
                    out.push_str(&format!("; X-Forwarded-For: {ip}"));
                }
                out.push('\n');
            }
            Verdict::Dropped { at, reason } => {
                out.push_str(&format!("verdict: dropped at {at}: {reason}\n"));
            }
        }
        if !self.explanation.is_empty() {
            out.push_str(&format!("why: {}\n", self.explanation));
        }
        for n in &self.notes {
            out.push_str(&format!("note: {n}\n"));
        }
        if !self.shares.is_empty() {
            out.push_str("shares:\n");
            let wp = self.shares.iter().map(|s| s.pod.len()).max().unwrap_or(0);
            let wn = self.shares.iter().map(|s| s.node.len()).max().unwrap_or(0);
            let wa = self.shares.iter().map(|s| s.az.len()).max().unwrap_or(0);
            for s in &self.shares {
                out.push_str(&format!(
                    "  {:<wp$}  {:<wn$}  {:<wa$}  {:>7}  {:.4}\n",
                    s.pod,
                    s.node,
                    s.az,
                    s.share.to_string(),
                    s.share.to_f64()
                ));
            }
        }
        if let Some(c) = self.cross_az_share {
            out.push_str(&format!(
                "cross-AZ: {c} of connections ({:.1}%) cross an AZ boundary\n",
                c.to_f64() * 100.0
            ));
        }
        for u in &self.unhealthy_nodes {
            out.push_str(&format!("gets nothing: {}: {}\n", u.node, u.reason));
        }
        out
    }
}

/// The packet as it moves, and the hops so far. Flow code calls [`Walk::step`] at each place,
/// rewriting `src`/`dst` first, and [`Walk::drop`] to stop.
#[derive(Debug)]
pub(super) struct Walk {
    pub hops: Vec<Hop>,
    pub src: SocketAddr,
    pub dst: SocketAddr,
    /// The AZ the packet is in (`None` outside AWS or in the control plane's VPC).
    pub az: Option<String>,
    pub verdict: Verdict,
}

/// Returned after [`Walk::drop`]: the flow stops here.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stop;

impl Walk {
    pub fn new(src: SocketAddr, dst: SocketAddr) -> Walk {
        Walk {
            hops: Vec::new(),
            src,
            dst,
            az: None,
            verdict: Verdict::Delivered,
        }
    }

    /// A hop at `at`; `az` is where it is (entering another AZ marks the hop cross-AZ).
    pub fn step(
        &mut self,
        at: impl Into<crate::model::Id>,
        kind: HopKind,
        az: Option<&str>,
        action: impl Into<String>,
    ) {
        let cross_az = match (&self.az, az) {
            (Some(a), Some(b)) => a != b,
            _ => false,
        };
        if let Some(az) = az {
            self.az = Some(az.to_string());
        }
        self.hops.push(Hop {
            at: at.into(),
            kind,
            src: self.src,
            dst: self.dst,
            action: action.into(),
            cross_az,
        });
    }

    /// Leaving AWS (to the internet, to the control plane's VPC): no AZ any more.
    pub fn leave_az(&mut self) {
        self.az = None;
    }

    /// The packet stops at `at`; the hop reads `dropped: <reason>`.
    pub fn drop(
        &mut self,
        at: impl Into<crate::model::Id>,
        kind: HopKind,
        az: Option<&str>,
        reason: impl Into<String>,
    ) -> Stop {
        let at = at.into();
        let reason = reason.into();
        self.step(at.clone(), kind, az, format!("dropped: {reason}"));
        self.verdict = Verdict::Dropped { at, reason };
        Stop
    }

    /// Ends the flow without a hop of its own (the reason is told by the last hop).
    pub fn stop_here(&mut self, reason: impl Into<String>) -> Stop {
        let at = self
            .hops
            .last()
            .map_or(crate::model::Id::Internet, |h| h.at.clone());
        self.verdict = Verdict::Dropped {
            at,
            reason: reason.into(),
        };
        Stop
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::traffic::flow::Place;
    use crate::model::Id;

    fn walk() -> Walk {
        let mut w = Walk::new(
            "203.0.113.50:49152".parse().unwrap(),
            "192.0.2.1:80".parse().unwrap(),
        );
        w.step(Id::Internet, HopKind::Client, None, "connects");
        w.step(
            Id::Lb("default/web".into()),
            HopKind::LoadBalancer,
            Some("us-east-1a"),
            "forwards",
        );
        w.dst = "10.0.32.9:31000".parse().unwrap();
        w.step(
            Id::node("ng-1-2"),
            HopKind::NodeEni,
            Some("us-east-1b"),
            "arrives",
        );
        w
    }

    #[test]
    fn entering_another_az_marks_the_hop() {
        let w = walk();
        assert_eq!(
            w.hops.iter().map(|h| h.cross_az).collect::<Vec<_>>(),
            [false, false, true]
        );
        assert_eq!(w.hops[2].dst.to_string(), "10.0.32.9:31000");
        assert_eq!(w.hops[1].dst.to_string(), "192.0.2.1:80");
    }

    #[test]
    fn a_hop_name_longer_than_a_format_width_prints() {
        let mut w = walk();
        let long = "x".repeat(70_000);
        w.step(Id::node(&long), HopKind::Pod, None, "arrives");
        let t = Trace {
            flow: Flow::new(Place::Internet, Place::Service("web".into())),
            hops: w.hops,
            verdict: Verdict::Delivered,
            client_ip_preserved: false,
            client_ip_seen: None,
            forwarded_for: None,
            shares: Vec::new(),
            unhealthy_nodes: Vec::new(),
            cross_az_share: None,
            notes: Vec::new(),
            explanation: String::new(),
        };
        assert!(t.to_text().contains(&long));
    }

    #[test]
    fn json_has_the_documented_shape() {
        let mut w = walk();
        let _ = w.drop(Id::node("ng-1-2"), HopKind::KubeProxy, None, "no endpoints");
        let t = Trace {
            flow: Flow::new(Place::Internet, Place::Service("web".into())),
            hops: w.hops,
            verdict: w.verdict,
            client_ip_preserved: false,
            client_ip_seen: None,
            forwarded_for: None,
            shares: vec![Share {
                pod: "web-1".into(),
                id: Id::pod("default", "web-1"),
                node: "ng-1-1".into(),
                az: "us-east-1a".into(),
                share: Ratio::new(1, 4).unwrap(),
            }],
            unhealthy_nodes: Vec::new(),
            cross_az_share: None,
            notes: Vec::new(),
            explanation: String::new(),
        };
        let j = t.to_json();
        assert_eq!(j["verdict"], "dropped");
        assert_eq!(j["reason"], "no endpoints");
        assert_eq!(j["droppedAt"], "node:ng-1-2");
        assert_eq!(j["hops"][3]["action"], "dropped: no endpoints");
        assert_eq!(j["hops"][2]["crossAz"], true);
        assert_eq!(j["hops"][0]["kind"], "client");
        assert_eq!(j["shares"][0]["share"], 0.25);
        assert_eq!(j["shares"][0]["fraction"], "1/4");
        let keys: Vec<&str> = j["hops"][0]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        let mut want = ["at", "kind", "src", "dst", "action", "crossAz"];
        want.sort();
        let mut got = keys.clone();
        got.sort();
        assert_eq!(got, want);
        let text = t.to_text();
        assert!(
            text.contains("verdict: dropped at node:ng-1-2: no endpoints"),
            "{text}"
        );
        assert!(text.contains("web-1"), "{text}");
    }
}
