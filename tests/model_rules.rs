//! `docs/model-rules.md` cannot rot: every test it names exists, in the file it names, and
//! every rule has a source (or says why it is the model's own choice) and at least one test.

use std::path::Path;

const LEDGER: &str = "docs/model-rules.md";

/// One table row of the ledger: its line number and its cells.
struct Row {
    line: usize,
    cells: Vec<String>,
}

fn rows(text: &str) -> Vec<Row> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('|') && !l.starts_with("|---") && !l.starts_with("| rule |"))
        .map(|(i, l)| Row {
            line: i + 1,
            cells: l
                .trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect(),
        })
        .collect()
}

/// The `path::name` test references in a cell, in backticks.
fn tests_named(cell: &str) -> Vec<(String, String)> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .filter_map(|r| r.rsplit_once("::"))
        .map(|(path, name)| (path.to_string(), name.to_string()))
        .collect()
}

/// Whether `source` (Rust) defines a function `name`.
fn defines(source: &str, name: &str) -> bool {
    let needle = format!("fn {name}(");
    source.match_indices(&needle).any(|(at, _)| {
        // A whole word: not `fn prefix_name(`.
        at == 0 || !source[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn every_rule_in_the_ledger_has_a_source_and_tests_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(LEDGER)).expect("the ledger exists");
    let rows = rows(&text);
    assert!(
        rows.len() > 80,
        "only {} rules found in {LEDGER}",
        rows.len()
    );
    let mut wrong = Vec::new();
    let mut tests = 0;
    for row in &rows {
        let [rule, source, test_cell] = &row.cells[..] else {
            wrong.push(format!(
                "line {}: {} cells, not 3",
                row.line,
                row.cells.len()
            ));
            continue;
        };
        if rule.is_empty() || source.is_empty() {
            wrong.push(format!(
                "line {}: a rule and its source are both needed",
                row.line
            ));
        }
        if let Some((_, why)) = source.split_once("model's own choice") {
            let why = why.trim_start_matches('*').trim();
            if !(why.starts_with(':') || why.starts_with('(')) || why.len() < 12 {
                wrong.push(format!(
                    "line {}: say why it is the model's own choice",
                    row.line
                ));
            }
        }
        let named = tests_named(test_cell);
        if named.is_empty() {
            wrong.push(format!("line {}: no test pins this rule", row.line));
        }
        for (path, name) in named {
            tests += 1;
            match std::fs::read_to_string(root.join(&path)) {
                Ok(source) if defines(&source, &name) => {}
                Ok(_) => wrong.push(format!("line {}: {path} has no `fn {name}(`", row.line)),
                Err(_) => wrong.push(format!("line {}: no file {path}", row.line)),
            }
        }
    }
    assert!(wrong.is_empty(), "{LEDGER}:\n{}", wrong.join("\n"));
    assert!(tests > 100, "{tests} tests named");
}

#[test]
fn the_check_tells_a_missing_test_from_a_present_one() {
    let source = "fn a_test() {}\nfn other_test_b() {}";
    assert!(defines(source, "a_test"));
    assert!(
        !defines(source, "test_b"),
        "a suffix of another name is not the name"
    );
    assert!(!defines(source, "missing"));
    assert_eq!(
        tests_named("`src/a.rs::one`, `tests/b.rs::two`"),
        vec![
            ("src/a.rs".to_string(), "one".to_string()),
            ("tests/b.rs".to_string(), "two".to_string())
        ]
    );
    let r =
        rows("| rule | upstream source | test that pins it |\n|---|---|---|\n| a | b | `x::y` |");
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].cells, vec!["a", "b", "`x::y`"]);
}
