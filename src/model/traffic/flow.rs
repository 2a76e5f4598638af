//! What to trace: `FROM->TO`, each end one of `internet`, `kubectl`, `apiserver`,
//! `pod/<workload>`, `service/<name>`, `ingress/<name>`, `node/<name>`.
//!
//! Names may carry a namespace (`service/shop/web`); without one, `default` is tried first,
//! then a name that is unique across namespaces. `pod/<name>` names a workload (its first
//! Running pod stands for it) or one pod by its own name.

use std::fmt;
use std::str::FromStr;

/// One end of a flow, as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// A client on the internet (a documentation address stands for it).
    Internet,
    /// kubectl on an operator's laptop on the internet.
    Kubectl,
    /// The Kubernetes API server in the EKS control plane.
    ApiServer,
    /// A workload's pod, or one pod by name.
    Pod(String),
    Service(String),
    Ingress(String),
    Node(String),
}

impl Place {
    /// The kind as written before the `/`.
    pub fn kind(&self) -> &'static str {
        match self {
            Place::Internet => "internet",
            Place::Kubectl => "kubectl",
            Place::ApiServer => "apiserver",
            Place::Pod(_) => "pod",
            Place::Service(_) => "service",
            Place::Ingress(_) => "ingress",
            Place::Node(_) => "node",
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::Internet | Place::Kubectl | Place::ApiServer => f.write_str(self.kind()),
            Place::Pod(n) | Place::Service(n) | Place::Ingress(n) | Place::Node(n) => {
                write!(f, "{}/{n}", self.kind())
            }
        }
    }
}

impl FromStr for Place {
    type Err = FlowError;

    fn from_str(text: &str) -> Result<Place, FlowError> {
        let text = text.trim();
        let named = |make: fn(String) -> Place, name: &str| {
            if name.is_empty() || name.len() > 253 || name.chars().any(|c| c.is_whitespace()) {
                Err(FlowError::syntax(format!(
                    "`{}` needs a name after the `/`",
                    short(text)
                )))
            } else {
                Ok(make(name.to_string()))
            }
        };
        match text.split_once('/') {
            None => match text {
                "internet" => Ok(Place::Internet),
                "kubectl" => Ok(Place::Kubectl),
                "apiserver" | "api-server" | "kube-apiserver" => Ok(Place::ApiServer),
                _ => Err(FlowError::syntax(format!(
                    "`{}` is not a place; write internet, kubectl, apiserver, pod/<workload>, service/<name>, ingress/<name> or node/<name>",
                    short(text)
                ))),
            },
            Some(("pod" | "pods", name)) => named(Place::Pod, name),
            Some(("service" | "svc", name)) => named(Place::Service, name),
            Some(("ingress" | "ing", name)) => named(Place::Ingress, name),
            Some(("node" | "nodes", name)) => named(Place::Node, name),
            Some((kind, _)) => Err(FlowError::syntax(format!(
                "`{}` is not a kind of place; write pod/, service/, ingress/ or node/",
                short(kind)
            ))),
        }
    }
}

/// A flow: where the first packet starts and where it is meant to go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Flow {
    pub from: Place,
    pub to: Place,
}

impl Flow {
    pub fn new(from: Place, to: Place) -> Flow {
        Flow { from, to }
    }

    /// A scenario's `{from, to}` entry.
    pub fn from_document(flow: &crate::scenario::Flow) -> Result<Flow, FlowError> {
        Ok(Flow {
            from: flow.from.parse()?,
            to: flow.to.parse()?,
        })
    }
}

/// `FROM->TO`.
impl fmt::Display for Flow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}->{}", self.from, self.to)
    }
}

impl FromStr for Flow {
    type Err = FlowError;

    /// `FROM->TO` (`→` and `=>` also work).
    fn from_str(text: &str) -> Result<Flow, FlowError> {
        let (from, to) = ["->", "→", "=>"]
            .iter()
            .find_map(|sep| text.split_once(sep))
            .ok_or_else(|| {
                FlowError::syntax(format!(
                    "`{}` is not a flow; write FROM->TO, e.g. internet->service/web",
                    short(text)
                ))
            })?;
        Ok(Flow {
            from: from.parse()?,
            to: to.parse()?,
        })
    }
}

/// Why a flow cannot be traced: it does not parse, names something the cluster does not have,
/// or pairs two places no packet goes between. The message lists what would work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowError {
    pub message: String,
}

impl FlowError {
    pub fn syntax(message: impl Into<String>) -> FlowError {
        FlowError {
            message: message.into(),
        }
    }

    /// `what` is unknown; `valid` are the names that exist (the first few are listed).
    pub fn unknown(what: &str, valid: &[String]) -> FlowError {
        const SHOWN: usize = 12;
        let list = if valid.is_empty() {
            "there are none".to_string()
        } else {
            let mut l = valid
                .iter()
                .take(SHOWN)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            if valid.len() > SHOWN {
                l.push_str(&format!(" and {} more", valid.len() - SHOWN));
            }
            format!("valid: {l}")
        };
        FlowError {
            message: format!("no {what}; {list}"),
        }
    }
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FlowError {}

/// User text, escaped and cut short for a message.
pub(super) fn short(text: &str) -> String {
    let t: String = text.escape_default().collect();
    if t.chars().count() > 60 {
        format!("{}…", t.chars().take(60).collect::<String>())
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flows_parse_and_print_back() {
        for text in [
            "internet->service/web",
            "internet->ingress/shop",
            "pod/web->pod/db",
            "pod/web->internet",
            "node/ng-1-1->apiserver",
            "kubectl->apiserver",
            "apiserver->node/ng-1-2",
            "pod/web->service/shop/api",
        ] {
            let flow: Flow = text.parse().unwrap();
            assert_eq!(flow.to_string(), text);
        }
        let f: Flow = " pod/web → svc/db ".parse().unwrap();
        assert_eq!(
            f,
            Flow::new(Place::Pod("web".into()), Place::Service("db".into()))
        );
        assert_eq!("api-server".parse::<Place>().unwrap(), Place::ApiServer);
    }

    #[test]
    fn bad_flows_say_what_to_write() {
        let e = "internet".parse::<Flow>().unwrap_err();
        assert!(e.message.contains("write FROM->TO"), "{e}");
        let e = "internet->moon".parse::<Flow>().unwrap_err();
        assert!(e.message.contains("`moon` is not a place"), "{e}");
        let e = "internet->deployment/web".parse::<Flow>().unwrap_err();
        assert!(e.message.contains("`deployment` is not a kind"), "{e}");
        let e = "pod/->internet".parse::<Flow>().unwrap_err();
        assert!(e.message.contains("needs a name"), "{e}");
        let long = "x".repeat(10_000);
        let e = long.parse::<Flow>().unwrap_err();
        assert!(e.message.len() < 200);
    }

    #[test]
    fn unknown_names_list_the_valid_ones() {
        let valid: Vec<String> = (0..20).map(|i| format!("node/ng-1-{i}")).collect();
        let e = FlowError::unknown("node `ng-9`", &valid);
        assert!(e
            .message
            .starts_with("no node `ng-9`; valid: node/ng-1-0, "));
        assert!(e.message.ends_with(" and 8 more"), "{e}");
        assert_eq!(
            FlowError::unknown("ingress `x`", &[]).message,
            "no ingress `x`; there are none"
        );
    }
}
