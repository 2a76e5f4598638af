//! At most [`MAX_LISTED`] problems are shown; the rest are counted by kind. Both the CLI and
//! the page's problem list use [`summarize`], so a scenario with thousands of problems prints
//! a few kilobytes, not megabytes, and the page renders a hundred rows, not thousands.

use std::collections::HashMap;

use super::limits::thousands;
use super::problem::Problem;

/// How many problems are listed one by one.
pub const MAX_LISTED: usize = 100;
/// How many kinds of the rest get a line of their own; the others share one.
pub const MAX_KINDS: usize = 5;
/// A listed problem's line is cut to this many characters: a message quotes what the user
/// wrote, and a hostile document can write a megabyte in one field.
pub const MAX_LINE_CHARS: usize = 500;

/// The problems to list, and a count of the others by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemSummary<'a> {
    pub listed: &'a [Problem],
    /// `(kind, count)` in order of first appearance; the kind is the path with its indexes
    /// left out (`vpc.subnets[*].cidr`), or `None` for "elsewhere" (kinds past [`MAX_KINDS`]).
    pub more: Vec<(Option<String>, usize)>,
}

/// The first [`MAX_LISTED`] problems, and the rest counted by the pattern of their path.
pub fn summarize(problems: &[Problem]) -> ProblemSummary<'_> {
    let cut = problems.len().min(MAX_LISTED);
    let (listed, rest) = problems.split_at(cut);
    let mut order: Vec<String> = Vec::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in rest {
        let kind = kind_of(p.path.as_str());
        match counts.get_mut(&kind) {
            Some(n) => *n += 1,
            None => {
                counts.insert(kind.clone(), 1);
                order.push(kind);
            }
        }
    }
    let mut more: Vec<(Option<String>, usize)> = Vec::new();
    let mut elsewhere = 0;
    for (i, kind) in order.into_iter().enumerate() {
        let n = counts[&kind];
        if i < MAX_KINDS {
            more.push((Some(kind), n));
        } else {
            elsewhere += n;
        }
    }
    if elsewhere > 0 {
        more.push((None, elsewhere));
    }
    ProblemSummary { listed, more }
}

impl ProblemSummary<'_> {
    /// `and 1,900 more problems of the same kind at vpc.subnets[*].cidr`, one per kind.
    pub fn more_lines(&self) -> Vec<String> {
        self.more
            .iter()
            .map(|(kind, n)| {
                let what = if *n == 1 { "problem" } else { "problems" };
                match kind {
                    Some(kind) => {
                        format!(
                            "and {} more {what} of the same kind at {kind}",
                            thousands(*n as u64)
                        )
                    }
                    None => format!("and {} more {what} elsewhere", thousands(*n as u64)),
                }
            })
            .collect()
    }

    /// Every line to print: the listed problems (each cut to [`MAX_LINE_CHARS`]), then the
    /// counts of the rest.
    pub fn lines(&self) -> Vec<String> {
        self.listed
            .iter()
            .map(|p| shorten(&p.to_string(), MAX_LINE_CHARS))
            .chain(self.more_lines())
            .collect()
    }
}

/// At most a hundred problems, then counts of the rest by kind, then the total: what every
/// command prints when a scenario is invalid (`eksplain check`, the mdBook preprocessor).
pub fn report(problems: &[Problem]) -> String {
    let mut out = summarize(problems).lines().join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!(
        "{} problem{} found",
        thousands(problems.len() as u64),
        if problems.len() == 1 { "" } else { "s" }
    ));
    out
}

/// A path with its indexes left out, cut to a readable length: `vpc.subnets[*].cidr`.
fn kind_of(path: &str) -> String {
    let mut kind = String::with_capacity(path.len().min(120));
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                kind.push_str("[*]");
            }
            ']' if in_index => in_index = false,
            _ if in_index => {}
            _ => kind.push(c),
        }
    }
    if kind.is_empty() {
        kind.push_str("(document)");
    }
    shorten(&kind, 120)
}

/// `text` cut to `max` characters, with `…` where it was cut.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(paths: &[(&str, usize)]) -> Vec<Problem> {
        paths
            .iter()
            .flat_map(|(pattern, n)| {
                (0..*n).map(move |i| {
                    Problem::new(pattern.replace('#', &i.to_string()).as_str(), "bad")
                })
            })
            .collect()
    }

    #[test]
    fn a_few_problems_are_all_listed() {
        let ps = problems(&[("vpc.subnets[#].cidr", 3)]);
        let s = summarize(&ps);
        assert_eq!(s.listed.len(), 3);
        assert!(s.more.is_empty());
        assert_eq!(s.lines().len(), 3);
    }

    #[test]
    fn the_rest_are_counted_by_kind() {
        let ps = problems(&[
            ("vpc.subnets[#].cidr", 2_000),
            ("managedNodeGroups[#].subnets[#]", 5),
        ]);
        let s = summarize(&ps);
        assert_eq!(s.listed.len(), MAX_LISTED);
        assert_eq!(
            s.more_lines(),
            vec![
                "and 1,900 more problems of the same kind at vpc.subnets[*].cidr",
                "and 5 more problems of the same kind at managedNodeGroups[*].subnets[*]",
            ]
        );
    }

    #[test]
    fn many_kinds_share_one_line() {
        let mut ps = problems(&[("a[#]", 100)]);
        for i in 0..20 {
            ps.push(Problem::new(format!("labels.key{i}").as_str(), "bad"));
        }
        let lines = summarize(&ps).more_lines();
        assert_eq!(lines.len(), MAX_KINDS + 1);
        assert_eq!(
            lines[0],
            "and 1 more problem of the same kind at labels.key0"
        );
        assert_eq!(lines[MAX_KINDS], "and 15 more problems elsewhere");
    }

    #[test]
    fn long_lines_are_cut() {
        let ps = vec![Problem::new("name", "x".repeat(10_000))];
        let line = &summarize(&ps).lines()[0];
        assert_eq!(line.chars().count(), MAX_LINE_CHARS + 1);
        assert!(line.ends_with('…'));
        assert_eq!(kind_of(""), "(document)");
        assert_eq!(kind_of("w[12].labels.a[b"), "w[*].labels.a[*]");
    }
}
