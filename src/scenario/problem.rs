//! A problem with a scenario: where it is (a path into the document) and what is wrong.

use std::fmt;

use serde::Serialize;

/// A path into the scenario document, such as `vpc.subnets[2].cidr`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Path(String);

impl Path {
    /// The document itself.
    pub fn root() -> Path {
        Path(String::new())
    }

    /// A named field below this path.
    pub fn field(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(name.to_string())
        } else {
            // Written directly, not with `format!`: a build makes a few per workload and
            // service, tens of thousands at scale.
            let mut path = String::with_capacity(self.0.len() + 1 + name.len());
            path.push_str(&self.0);
            path.push('.');
            path.push_str(name);
            Path(path)
        }
    }

    /// An element of a list below this path.
    pub fn index(&self, i: usize) -> Path {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = i;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let mut path = String::with_capacity(self.0.len() + 2 + digits.len() - at);
        path.push_str(&self.0);
        path.push('[');
        // ASCII digits: always valid UTF-8.
        path.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
        path.push(']');
        Path(path)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Path {
    fn from(s: &str) -> Path {
        Path(s.to_string())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document)")
        } else {
            f.write_str(&self.0)
        }
    }
}

/// One thing wrong with a scenario, phrased for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: Path,
    pub message: String,
}

impl Problem {
    pub fn new(path: impl Into<Path>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_like_the_document() {
        let p = Path::root()
            .field("vpc")
            .field("subnets")
            .index(2)
            .field("cidr");
        assert_eq!(p.as_str(), "vpc.subnets[2].cidr");
        assert_eq!(Path::root().to_string(), "(document)");
        let problem = Problem::new(p, "is not a CIDR");
        assert_eq!(problem.to_string(), "vpc.subnets[2].cidr: is not a CIDR");
    }

    #[test]
    fn indexes_of_every_width() {
        for i in [0, 9, 10, 4_999, usize::MAX] {
            assert_eq!(Path::root().field("w").index(i).as_str(), format!("w[{i}]"));
        }
        assert_eq!(Path::root().index(3).as_str(), "[3]");
    }
}
