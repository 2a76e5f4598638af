//! EC2 instance types: ENI and IP limits, hypervisor, vCPUs and memory.
//!
//! Built once from `data/instance-limits.tsv` (all 1,391 types the VPC CNI knows) joined with
//! `data/instance-resources.tsv` (vCPUs and memory, known for 1,108 of them).

use std::collections::HashMap;
use std::sync::OnceLock;

const LIMITS_FILE: &[u8] = include_bytes!("../../../data/instance-limits.tsv");
const RESOURCES_FILE: &[u8] = include_bytes!("../../../data/instance-resources.tsv");

/// The columns [`InstanceTypes::parse`] reads of each file; the rest (network card indexes,
/// GPUs, architecture) are cut at compile time so they do not ship in the wasm's data.
const LIMITS_COLUMNS: usize = 7;
const RESOURCES_COLUMNS: usize = 3;

static LIMITS_BYTES: [u8; kept_len(LIMITS_FILE, LIMITS_COLUMNS)] =
    keep_columns(LIMITS_FILE, LIMITS_COLUMNS);
static RESOURCES_BYTES: [u8; kept_len(RESOURCES_FILE, RESOURCES_COLUMNS)] =
    keep_columns(RESOURCES_FILE, RESOURCES_COLUMNS);
static LIMITS_TSV: &str = utf8(&LIMITS_BYTES);
static RESOURCES_TSV: &str = utf8(&RESOURCES_BYTES);

/// `tsv` with each line cut before its `columns`-th tab, written into `out` as far as it
/// holds; returns the cut text's whole length (so `&mut []` measures it).
const fn cut(tsv: &[u8], columns: usize, out: &mut [u8]) -> usize {
    let (mut i, mut n, mut tabs) = (0, 0, 0);
    while i < tsv.len() {
        let b = tsv[i];
        if b == b'\n' {
            tabs = 0;
        } else if b == b'\t' {
            tabs += 1;
        }
        if tabs < columns {
            if n < out.len() {
                out[n] = b;
            }
            n += 1;
        }
        i += 1;
    }
    n
}

/// Length of `tsv` with each line cut before its `columns`-th tab.
const fn kept_len(tsv: &[u8], columns: usize) -> usize {
    cut(tsv, columns, &mut [])
}

/// `tsv` with each line cut before its `columns`-th tab (`N` from [`kept_len`]).
const fn keep_columns<const N: usize>(tsv: &[u8], columns: usize) -> [u8; N] {
    let mut out = [0u8; N];
    cut(tsv, columns, &mut out);
    out
}

const fn utf8(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("a data file is not UTF-8"),
    }
}

/// What the EC2 hypervisor field says; it decides whether prefix delegation applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hypervisor {
    Nitro,
    Xen,
    /// Bare metal and two old types report none.
    Unknown,
}

/// One instance type's networking limits and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceType {
    pub name: String,
    /// ENIs on the default network card.
    pub max_enis: u32,
    /// IPv4 addresses per ENI, the ENI's primary address included.
    pub ipv4_per_eni: u32,
    pub hypervisor: Hypervisor,
    pub bare_metal: bool,
    /// Branch ENIs for security groups for pods; `None` = unknown, `Some(0)` = not supported.
    pub branch_enis: Option<u32>,
    pub network_cards: u32,
    pub vcpus: Option<u32>,
    pub memory_mib: Option<u64>,
}

impl InstanceType {
    /// The instance family, e.g. `m5` for `m5.large`.
    pub fn family(&self) -> &str {
        self.name.split('.').next().unwrap_or(&self.name)
    }
}

/// Every known instance type, sorted by name.
pub struct InstanceTypes {
    sorted: Vec<InstanceType>,
    by_name: HashMap<String, usize>,
}

impl InstanceTypes {
    /// The table embedded in this build (parsed on first use).
    pub fn get() -> &'static InstanceTypes {
        static TABLE: OnceLock<InstanceTypes> = OnceLock::new();
        TABLE.get_or_init(|| InstanceTypes::parse(LIMITS_TSV, RESOURCES_TSV))
    }

    fn parse(limits: &str, resources: &str) -> InstanceTypes {
        // Name → row index (the map type the model already has), parsed on lookup.
        let resource_rows: Vec<Vec<&str>> = rows(resources).collect();
        let sizes: HashMap<&str, usize> = resource_rows
            .iter()
            .enumerate()
            .map(|(i, c)| (c[0], i))
            .collect();
        let sorted: Vec<InstanceType> = rows(limits)
            .filter_map(|c| {
                let name = c[0];
                let (vcpus, memory_mib) = sizes.get(name).map_or((None, None), |&i| {
                    let c = &resource_rows[i];
                    (
                        c.get(1).and_then(|v| v.parse().ok()),
                        c.get(2).and_then(|v| v.parse().ok()),
                    )
                });
                Some(InstanceType {
                    name: name.to_string(),
                    max_enis: c.get(1)?.parse().ok()?,
                    ipv4_per_eni: c.get(2)?.parse().ok()?,
                    hypervisor: match c.get(3).copied() {
                        Some("nitro") => Hypervisor::Nitro,
                        Some("xen") => Hypervisor::Xen,
                        _ => Hypervisor::Unknown,
                    },
                    bare_metal: c.get(4).copied() == Some("true"),
                    branch_enis: c.get(5).and_then(|v| v.parse().ok()),
                    network_cards: c.get(6).and_then(|v| v.parse().ok()).unwrap_or(1),
                    vcpus,
                    memory_mib,
                })
            })
            .collect();
        // data/instance-limits.tsv is kept sorted by name (a test checks it), so no sort —
        // and no sort code for this type in either wasm — is needed here.
        let by_name = sorted
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        InstanceTypes { sorted, by_name }
    }

    pub fn lookup(&self, name: &str) -> Option<&InstanceType> {
        self.by_name.get(name).map(|&i| &self.sorted[i])
    }

    pub fn all(&self) -> &[InstanceType] {
        &self.sorted
    }

    /// Up to `limit` type names closest to an unknown one, for "did you mean" messages.
    pub fn suggestions(&self, name: &str, limit: usize) -> Vec<&str> {
        let family = name.split('.').next().unwrap_or(name);
        let mut matches: Vec<&str> = self
            .sorted
            .iter()
            .map(|t| t.name.as_str())
            .filter(|n| n.starts_with(&format!("{family}.")))
            .collect();
        if matches.is_empty() {
            matches = self
                .sorted
                .iter()
                .map(|t| t.name.as_str())
                .filter(|n| n.contains(name))
                .collect();
        }
        matches.truncate(limit);
        matches
    }
}

/// Data rows of a TSV file (the header skipped), split into columns.
fn rows(tsv: &str) -> impl Iterator<Item = Vec<&str>> {
    tsv.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::trim).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_by_name_without_duplicates() {
        let names: Vec<&str> = InstanceTypes::get()
            .all()
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert!(names.len() > 500, "{}", names.len());
        for pair in names.windows(2) {
            assert!(
                pair[0] < pair[1],
                "data/instance-limits.tsv must be sorted by name, with each name once: {} then {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn the_cut_columns_change_no_instance_type() {
        let full = |f| std::str::from_utf8(f).unwrap();
        let whole = InstanceTypes::parse(full(LIMITS_FILE), full(RESOURCES_FILE));
        assert_eq!(whole.sorted, InstanceTypes::get().sorted);
        assert!(LIMITS_TSV
            .lines()
            .all(|l| l.split('\t').count() <= LIMITS_COLUMNS));
        assert!(LIMITS_TSV.len() < LIMITS_FILE.len());
    }

    #[test]
    fn the_table_has_every_type_of_the_reference_data() {
        let table = InstanceTypes::get();
        assert_eq!(table.all().len(), 1391);
        assert_eq!(
            table.all().iter().filter(|t| t.vcpus.is_some()).count(),
            1391 - 283
        );
    }

    #[test]
    fn m5_large_is_as_aws_documents_it() {
        let t = InstanceTypes::get().lookup("m5.large").unwrap();
        assert_eq!((t.max_enis, t.ipv4_per_eni), (3, 10));
        assert_eq!(t.hypervisor, Hypervisor::Nitro);
        assert_eq!((t.vcpus, t.memory_mib), (Some(2), Some(8192)));
        assert_eq!(t.branch_enis, Some(9));
        assert_eq!(t.family(), "m5");
    }

    #[test]
    fn unknown_types_get_suggestions() {
        let table = InstanceTypes::get();
        assert!(table.lookup("m5.huge").is_none());
        let s = table.suggestions("m5.huge", 3);
        assert_eq!(s.len(), 3);
        assert!(s.iter().all(|n| n.starts_with("m5.")));
    }
}
