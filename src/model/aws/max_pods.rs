//! The kubelet's max pods for an instance type, computed exactly as the EKS AMI's
//! `max-pods-calculator.sh` does (awslabs/amazon-eks-ami, `templates/al2/runtime/`,
//! formerly `files/`).
//!
//! The script's rules, in order:
//! 1. ENIs for pods = the instance's ENIs (default network card), or
//!    `min(--cni-max-eni, instance ENIs)` when `--cni-max-eni` is given.
//! 2. With `--cni-custom-networking-enabled`, one ENI fewer (the primary ENI carries no pods).
//! 3. Prefix delegation applies only when the hypervisor is `nitro` AND
//!    `--cni-prefix-delegation-enabled` AND the CNI version is >= 1.9 (major > 1, or major 1 and
//!    minor > 8): `ENIs × ((IPv4 per ENI − 1) × 16) + 2`; otherwise `ENIs × (IPv4 per ENI − 1) + 2`.
//!    Bare-metal types report no hypervisor, so they never get prefix delegation.
//! 4. With `--show-max-allowed`, that number is the answer. Otherwise it is capped at 110 when
//!    the type has 30 vCPUs or fewer, else at 250.
//!
//! Where this differs from the script, on purpose:
//! - vCPUs unknown (types missing from `instance-resources.tsv`): the script always knows the
//!   vCPU count (it asks EC2). Here the answer is still exact when the uncapped value is at most
//!   110 (neither ceiling changes it); above 110 the ceiling cannot be chosen and
//!   [`MaxPodsError::UnknownVcpus`] says to ask for the uncapped value instead.
//! - CNI versions: the script splits on `.` and compares the first two fields as bash integers,
//!   ignoring the rest (`1.10.1-eksbuild.1` works). A leading `v` (`v1.18.3-eksbuild.1`, as EKS
//!   add-on versions are written) makes the script fail with `v1: unbound variable`; here it is
//!   accepted. Fields are read as decimal (bash would read `08` as bad octal).
//! - `--cni-max-eni 0` with custom networking gives the script −1 ENIs and a negative answer;
//!   here it is [`MaxPodsError::NoEniForPods`].

use std::fmt;
use std::str::FromStr;

use super::instance_types::{Hypervisor, InstanceType};

/// Addresses in one delegated /28 prefix.
pub const IPS_PER_PREFIX: u32 = 16;
/// The ceiling for types with at most [`HIGH_CPU_THRESHOLD`] vCPUs.
pub const CEILING_LOW_CPU: u32 = 110;
/// The ceiling for types with more than [`HIGH_CPU_THRESHOLD`] vCPUs.
pub const CEILING_HIGH_CPU: u32 = 250;
/// Types with more vCPUs than this get the higher ceiling.
pub const HIGH_CPU_THRESHOLD: u32 = 30;

/// A VPC CNI version. The calculator reads only major and minor; ipamd's own behaviour also
/// changed at patch releases (see [`CniVersion::stops_pool_at_max_pods`]), so the leading digits
/// of the third field are kept as `patch` (0 when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CniVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
    text: String,
}

impl CniVersion {
    /// The version `major.minor`.
    pub fn new(major: u32, minor: u32) -> CniVersion {
        CniVersion {
            major,
            minor,
            patch: 0,
            text: format!("{major}.{minor}"),
        }
    }

    /// Reads `1.9.0`, `1.10`, `1.18.3-eksbuild.1`, `v1.18.3-eksbuild.1`. Everything after the
    /// second `.` is ignored, as the script ignores it.
    pub fn parse(text: &str) -> Result<CniVersion, MaxPodsError> {
        let invalid = |reason: &'static str| MaxPodsError::InvalidCniVersion {
            text: text.to_string(),
            reason,
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(invalid("it is empty"));
        }
        let body = trimmed
            .strip_prefix('v')
            .or_else(|| trimmed.strip_prefix('V'))
            .unwrap_or(trimmed);
        let mut fields = body.splitn(3, '.');
        let major = fields.next().unwrap_or_default();
        let minor = fields.next().ok_or(invalid("it has no minor version"))?;
        // `3-eksbuild.1` → 3; the calculator ignores this field, ipamd's history does not.
        let patch = fields
            .next()
            .map(|rest| {
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            })
            .unwrap_or(0);
        let number = |field: &str, what: &'static str| -> Result<u32, MaxPodsError> {
            if field.is_empty() || !field.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(what));
            }
            field.parse().map_err(|_| invalid(what))
        };
        Ok(CniVersion {
            major: number(major, "the major version is not a number")?,
            minor: number(minor, "the minor version is not a number")?,
            patch,
            text: trimmed.to_string(),
        })
    }

    /// The script's test: `major > 1 || (major == 1 && minor > 8)`, i.e. 1.9 or newer.
    pub fn supports_prefix_delegation(&self) -> bool {
        self.major > 1 || (self.major == 1 && self.minor > 8)
    }

    /// ipamd stops growing a node's pool once the node holds as many addresses as its max pods
    /// (`isDatastorePoolTooLow` in aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go`: "If max pods has
    /// been reached, pool is not too low"). Added by aws/amazon-vpc-cni-k8s PR #2745 (merged in
    /// January 2024, after v1.16.1 was cut from master); first released in v1.16.3.
    pub fn stops_pool_at_max_pods(&self) -> bool {
        (self.major, self.minor, self.patch) >= (1, 16, 3)
    }

    /// The text it was parsed from (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl FromStr for CniVersion {
    type Err = MaxPodsError;

    fn from_str(s: &str) -> Result<CniVersion, MaxPodsError> {
        CniVersion::parse(s)
    }
}

impl fmt::Display for CniVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The calculator's flags (`--instance-type` aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxPodsInput {
    /// `--cni-version`.
    pub cni_version: CniVersion,
    /// `--cni-custom-networking-enabled`.
    pub custom_networking: bool,
    /// `--cni-prefix-delegation-enabled`.
    pub prefix_delegation: bool,
    /// `--cni-max-eni N`.
    pub max_eni: Option<u32>,
    /// `--show-max-allowed`: skip the 110/250 ceiling.
    pub show_max_allowed: bool,
}

impl MaxPodsInput {
    /// Every flag off, for the given CNI version.
    pub fn new(cni_version: CniVersion) -> MaxPodsInput {
        MaxPodsInput {
            cni_version,
            custom_networking: false,
            prefix_delegation: false,
            max_eni: None,
            show_max_allowed: false,
        }
    }
}

/// The answer, with how it was reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxPods {
    /// What the calculator prints.
    pub value: u32,
    /// Before the 110/250 ceiling.
    pub uncapped: u32,
    /// ENIs whose addresses go to pods (after `--cni-max-eni` and custom networking).
    pub enis_used: u32,
    pub ipv4_per_eni: u32,
    pub prefix_delegation_applied: bool,
    /// The ceiling compared against (110 or 250); `None` with `--show-max-allowed`, or when
    /// the vCPUs are unknown and the uncapped value is under both ceilings.
    pub ceiling: Option<u32>,
    /// The ceiling, when it lowered the value.
    pub capped_at: Option<u32>,
    /// The arithmetic with its inputs, e.g. `3 ENIs × (10 IPs − 1) + 2 = 29; min(29, 110) = 29
    /// (2 vCPUs ≤ 30)`.
    pub formula: String,
    /// Why a flag did or did not change the answer, one sentence each.
    pub notes: Vec<String>,
}

/// Why there is no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaxPodsError {
    /// `--cni-version` is not `MAJOR.MINOR[.anything]`.
    InvalidCniVersion { text: String, reason: &'static str },
    /// The ceiling depends on the vCPU count, which is unknown for this type.
    UnknownVcpus {
        instance_type: String,
        uncapped: u32,
    },
    /// Custom networking with `--cni-max-eni 0`: no ENI left to give up.
    NoEniForPods { instance_type: String },
}

impl fmt::Display for MaxPodsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MaxPodsError::InvalidCniVersion { text, reason } => write!(
                f,
                "invalid CNI version `{text}`: {reason}; expected MAJOR.MINOR[.PATCH], \
                 e.g. 1.18.0 or v1.18.3-eksbuild.1"
            ),
            MaxPodsError::UnknownVcpus {
                instance_type,
                uncapped,
            } => write!(
                f,
                "the vCPU count of `{instance_type}` is unknown, and its uncapped max pods \
                 ({uncapped}) is above {CEILING_LOW_CPU}, so the ceiling ({CEILING_LOW_CPU} for \
                 {HIGH_CPU_THRESHOLD} vCPUs or fewer, else {CEILING_HIGH_CPU}) cannot be chosen; \
                 pass --show-max-allowed for the uncapped value"
            ),
            MaxPodsError::NoEniForPods { instance_type } => write!(
                f,
                "custom networking leaves no ENI for pods on `{instance_type}`: --cni-max-eni 0 \
                 minus the primary ENI is −1 (the calculator would print a negative number)"
            ),
        }
    }
}

impl std::error::Error for MaxPodsError {}

/// The calculator's answer for one instance type.
pub fn max_pods(t: &InstanceType, input: &MaxPodsInput) -> Result<MaxPods, MaxPodsError> {
    let mut notes = Vec::new();

    // ENIs for pods, and how to show them.
    let mut enis = t.max_enis;
    let mut enis_expr = t.max_enis.to_string();
    if let Some(limit) = input.max_eni {
        enis = limit.min(t.max_enis);
        enis_expr = format!("min({}, {limit})", t.max_enis);
        notes.push(format!(
            "--cni-max-eni {limit}: {enis} of the {} ENIs hold pod addresses",
            t.max_enis
        ));
    }
    if input.custom_networking {
        enis = enis
            .checked_sub(1)
            .ok_or_else(|| MaxPodsError::NoEniForPods {
                instance_type: t.name.clone(),
            })?;
        enis_expr = format!("({enis_expr} − 1)");
        notes.push("custom networking: the primary ENI carries no pods, so one ENI fewer".into());
    }
    let enis_label = if enis_expr == enis.to_string() {
        format!("{enis} ENI{}", if enis == 1 { "" } else { "s" })
    } else {
        format!("{enis_expr} ENIs")
    };

    // Prefix delegation: Nitro AND the flag AND CNI >= 1.9.
    let is_nitro = t.hypervisor == Hypervisor::Nitro;
    let version_ok = input.cni_version.supports_prefix_delegation();
    let prefix_delegation = is_nitro && input.prefix_delegation && version_ok;
    if input.prefix_delegation {
        if prefix_delegation {
            notes.push(format!(
                "prefix delegation: each secondary address slot holds a /28 prefix ({IPS_PER_PREFIX} addresses)"
            ));
        } else if !is_nitro {
            notes.push(format!(
                "prefix delegation not applied: the hypervisor is {}, not nitro",
                match t.hypervisor {
                    Hypervisor::Xen => "xen",
                    _ if t.bare_metal => "none (bare metal)",
                    _ => "unknown",
                }
            ));
        }
        if !version_ok {
            notes.push(format!(
                "prefix delegation not applied: VPC CNI {} is older than 1.9",
                input.cni_version
            ));
        }
    }

    let slots = t.ipv4_per_eni.saturating_sub(1);
    let (uncapped, mut formula) = if prefix_delegation {
        let v = enis * (slots * IPS_PER_PREFIX) + 2;
        (
            v,
            format!(
                "{enis_label} × (({} IPs − 1) × {IPS_PER_PREFIX}) + 2 = {v}",
                t.ipv4_per_eni
            ),
        )
    } else {
        let v = enis * slots + 2;
        (
            v,
            format!("{enis_label} × ({} IPs − 1) + 2 = {v}", t.ipv4_per_eni),
        )
    };

    let (value, ceiling) = if input.show_max_allowed {
        (uncapped, None)
    } else {
        match t.vcpus {
            Some(vcpus) => {
                let (ceiling, why) = if vcpus > HIGH_CPU_THRESHOLD {
                    (
                        CEILING_HIGH_CPU,
                        format!("{vcpus} vCPUs > {HIGH_CPU_THRESHOLD}"),
                    )
                } else {
                    (
                        CEILING_LOW_CPU,
                        format!("{vcpus} vCPUs ≤ {HIGH_CPU_THRESHOLD}"),
                    )
                };
                let value = uncapped.min(ceiling);
                formula.push_str(&format!("; min({uncapped}, {ceiling}) = {value} ({why})"));
                (value, Some(ceiling))
            }
            None if uncapped <= CEILING_LOW_CPU => {
                formula.push_str(&format!(
                    "; {uncapped} ≤ {CEILING_LOW_CPU}, under either ceiling (vCPUs unknown)"
                ));
                (uncapped, None)
            }
            None => {
                return Err(MaxPodsError::UnknownVcpus {
                    instance_type: t.name.clone(),
                    uncapped,
                })
            }
        }
    };

    Ok(MaxPods {
        value,
        uncapped,
        enis_used: enis,
        ipv4_per_eni: t.ipv4_per_eni,
        prefix_delegation_applied: prefix_delegation,
        ceiling,
        capped_at: ceiling.filter(|&c| uncapped > c),
        formula,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::super::instance_types::InstanceTypes;
    use super::*;

    fn t(name: &str) -> &'static InstanceType {
        InstanceTypes::get().lookup(name).unwrap()
    }

    fn input(version: &str) -> MaxPodsInput {
        MaxPodsInput::new(CniVersion::parse(version).unwrap())
    }

    fn pd(version: &str) -> MaxPodsInput {
        MaxPodsInput {
            prefix_delegation: true,
            ..input(version)
        }
    }

    #[test]
    fn m5_large_defaults_to_29() {
        let m = max_pods(t("m5.large"), &input("1.9.0")).unwrap();
        assert_eq!(m.value, 29);
        assert_eq!(m.uncapped, 29);
        assert_eq!(m.enis_used, 3);
        assert!(!m.prefix_delegation_applied);
        assert_eq!((m.ceiling, m.capped_at), (Some(110), None));
        assert_eq!(
            m.formula,
            "3 ENIs × (10 IPs − 1) + 2 = 29; min(29, 110) = 29 (2 vCPUs ≤ 30)"
        );
    }

    #[test]
    fn m5_large_with_prefix_delegation_is_capped_at_110() {
        let m = max_pods(t("m5.large"), &pd("1.9.0")).unwrap();
        assert_eq!((m.value, m.uncapped), (110, 434));
        assert!(m.prefix_delegation_applied);
        assert_eq!(m.capped_at, Some(110));
        assert_eq!(
            m.formula,
            "3 ENIs × ((10 IPs − 1) × 16) + 2 = 434; min(434, 110) = 110 (2 vCPUs ≤ 30)"
        );
    }

    #[test]
    fn show_max_allowed_skips_the_ceiling() {
        let m = max_pods(
            t("m5.large"),
            &MaxPodsInput {
                show_max_allowed: true,
                ..pd("1.9.0")
            },
        )
        .unwrap();
        assert_eq!(m.value, 3 * (9 * 16) + 2);
        assert_eq!((m.ceiling, m.capped_at), (None, None));
        assert_eq!(m.formula, "3 ENIs × ((10 IPs − 1) × 16) + 2 = 434");
    }

    #[test]
    fn custom_networking_gives_up_the_primary_eni() {
        let m = max_pods(
            t("m5.large"),
            &MaxPodsInput {
                custom_networking: true,
                ..input("1.9.0")
            },
        )
        .unwrap();
        assert_eq!((m.value, m.enis_used), (2 * 9 + 2, 2));
        assert!(m
            .formula
            .starts_with("(3 − 1) ENIs × (10 IPs − 1) + 2 = 20"));
    }

    #[test]
    fn cni_max_eni_takes_the_minimum() {
        let with = |max_eni, custom_networking| {
            max_pods(
                t("m5.large"),
                &MaxPodsInput {
                    max_eni: Some(max_eni),
                    custom_networking,
                    ..input("1.9.0")
                },
            )
            .unwrap()
        };
        assert_eq!(with(2, false).value, 2 * 9 + 2);
        assert_eq!(with(9, false).value, 29);
        assert_eq!(with(1, true).value, 2);
        let m = with(2, true);
        assert_eq!((m.value, m.enis_used), (11, 1));
        assert!(m
            .formula
            .starts_with("(min(3, 2) − 1) ENIs × (10 IPs − 1) + 2 = 11"));
        let zero = max_pods(
            t("m5.large"),
            &MaxPodsInput {
                max_eni: Some(0),
                ..input("1.9.0")
            },
        )
        .unwrap();
        assert_eq!(zero.value, 2);
        assert_eq!(
            max_pods(
                t("m5.large"),
                &MaxPodsInput {
                    max_eni: Some(0),
                    custom_networking: true,
                    ..input("1.9.0")
                },
            ),
            Err(MaxPodsError::NoEniForPods {
                instance_type: "m5.large".into()
            })
        );
    }

    #[test]
    fn small_and_large_types() {
        assert_eq!(max_pods(t("t3.micro"), &input("1.9.0")).unwrap().value, 4);
        assert_eq!(max_pods(t("t2.micro"), &input("1.9.0")).unwrap().value, 4);
        // t3.micro: 2 × ((2 − 1) × 16) + 2 = 34 under the 110 ceiling.
        assert_eq!(max_pods(t("t3.micro"), &pd("1.9.0")).unwrap().value, 34);
        // t2 is Xen: no prefix delegation.
        let t2 = max_pods(t("t2.micro"), &pd("1.9.0")).unwrap();
        assert_eq!(t2.value, 4);
        assert!(!t2.prefix_delegation_applied);
        assert!(t2.notes.iter().any(|n| n.contains("xen")));
        // 96 vCPUs: the 250 ceiling.
        assert_eq!(
            max_pods(t("m5.24xlarge"), &input("1.9.0")).unwrap().value,
            250
        );
        let m = max_pods(t("m5.24xlarge"), &pd("1.9.0")).unwrap();
        assert_eq!(
            (m.value, m.uncapped, m.capped_at),
            (250, 15 * 49 * 16 + 2, Some(250))
        );
        // Bare metal has no hypervisor: never prefix delegation.
        let metal = max_pods(
            t("m5.metal"),
            &MaxPodsInput {
                show_max_allowed: true,
                ..pd("1.9.0")
            },
        )
        .unwrap();
        assert_eq!(metal.value, 737);
        assert!(metal.notes.iter().any(|n| n.contains("bare metal")));
    }

    #[test]
    fn prefix_delegation_needs_cni_1_9() {
        for (version, applied) in [
            ("1.7.5", false),
            ("1.8.0", false),
            ("1.8.99", false),
            ("1.9", true),
            ("1.9.0", true),
            ("1.10.1-eksbuild.1", true),
            ("v1.18.3-eksbuild.1", true),
            ("2.0.0", true),
            ("0.9.0", false),
        ] {
            let m = max_pods(t("m5.large"), &pd(version)).unwrap();
            assert_eq!(m.prefix_delegation_applied, applied, "{version}");
            assert_eq!(m.value, if applied { 110 } else { 29 }, "{version}");
        }
        let old = max_pods(t("m5.large"), &pd("1.8.0")).unwrap();
        assert!(old.notes.iter().any(|n| n.contains("older than 1.9")));
    }

    #[test]
    fn cni_versions_parse_like_the_script() {
        let v = CniVersion::parse("v1.18.3-eksbuild.1").unwrap();
        assert_eq!((v.major, v.minor), (1, 18));
        assert_eq!(v.to_string(), "v1.18.3-eksbuild.1");
        assert_eq!(
            "1.9".parse::<CniVersion>().unwrap(),
            CniVersion::parse("1.9").unwrap()
        );
        assert_eq!(CniVersion::new(1, 9).as_str(), "1.9");
        assert!(CniVersion::new(1, 9).supports_prefix_delegation());
        assert!(!CniVersion::new(1, 8).supports_prefix_delegation());
        for bad in [
            "", "  ", "1", "v", "x.9.0", "1.x", "1.9x.0", "1..0", "-1.9", "1.-9",
        ] {
            let err = CniVersion::parse(bad).unwrap_err();
            assert!(
                matches!(err, MaxPodsError::InvalidCniVersion { .. }),
                "{bad:?}"
            );
            assert!(err.to_string().contains("invalid CNI version"), "{err}");
        }
    }

    /// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isDatastorePoolTooLow`: the max-pods stop
    /// came with PR #2745, first in v1.16.3; the patch field is read for it.
    #[test]
    fn the_max_pods_stop_starts_at_cni_1_16_3() {
        for (version, stops) in [
            ("1.16.2", false),
            ("v1.16.2-eksbuild.1", false),
            ("1.16.3", true),
            ("v1.16.3-eksbuild.2", true),
            ("1.16", false),
            ("1.17.1", true),
            ("1.18.0", true),
            ("2.0", true),
            ("1.9.0", false),
        ] {
            let v = CniVersion::parse(version).unwrap();
            assert_eq!(v.stops_pool_at_max_pods(), stops, "{version}");
        }
        assert_eq!(CniVersion::parse("1.16.3x").unwrap().patch, 3);
        assert_eq!(CniVersion::parse("1.16.x").unwrap().patch, 0);
    }

    #[test]
    fn unknown_vcpus_only_matter_above_110() {
        // m8azn.medium has no vCPU count in the reference data.
        let ty = t("m8azn.medium");
        assert_eq!(ty.vcpus, None);
        let m = max_pods(ty, &input("1.9.0")).unwrap();
        assert_eq!((m.value, m.ceiling), (11, None));
        let err = max_pods(ty, &pd("1.9.0")).unwrap_err();
        assert_eq!(
            err,
            MaxPodsError::UnknownVcpus {
                instance_type: "m8azn.medium".into(),
                uncapped: 3 * (3 * 16) + 2
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains("m8azn.medium") && msg.contains("--show-max-allowed"),
            "{msg}"
        );
        let all = MaxPodsInput {
            show_max_allowed: true,
            ..pd("1.9.0")
        };
        assert_eq!(max_pods(ty, &all).unwrap().value, 146);
    }

    #[test]
    fn the_formula_always_ends_in_the_value() {
        let inputs = [input("1.9.0"), pd("1.9.0"), pd("1.8.0")];
        for ty in InstanceTypes::get().all() {
            for i in &inputs {
                if let Ok(m) = max_pods(ty, i) {
                    let shown = m
                        .formula
                        .split("; ")
                        .last()
                        .unwrap()
                        .split(" = ")
                        .nth(1)
                        .map(|s| s.split(' ').next().unwrap().to_string());
                    if m.ceiling.is_some() || i.show_max_allowed {
                        assert_eq!(shown, Some(m.value.to_string()), "{}", m.formula);
                    }
                    assert!(m.formula.contains(&format!("= {}", m.uncapped)));
                }
            }
        }
    }
}
