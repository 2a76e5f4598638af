//! Planning subnet CIDRs for the editor: the next free block of a size inside the VPC (the
//! "Add subnet" suggestion), and the subnets renumbered into a new VPC CIDR when the VPC
//! moves (each keeps its size and its place in the order). Pure: strings in, strings out, so
//! the page and tests call it alike.

use ipnet::Ipv4Net;

use super::vpc::{parse_cidr, MAX_PREFIX, MIN_PREFIX};

/// The first `/prefix` block inside the VPC's CIDRs (in their order, primary first) that no
/// existing subnet overlaps. Subnet CIDRs that do not parse are ignored (they are reported at
/// their own field); a VPC CIDR that does not parse is skipped.
pub fn suggest_subnet_cidr(
    vpc_cidrs: &[String],
    subnet_cidrs: &[String],
    prefix: u8,
) -> Result<Ipv4Net, String> {
    if !(MIN_PREFIX..=MAX_PREFIX).contains(&prefix) {
        return Err(format!(
            "a subnet is /{MIN_PREFIX} to /{MAX_PREFIX}; /{prefix} is not"
        ));
    }
    let mut taken: Vec<(u32, u32)> = subnet_cidrs
        .iter()
        .filter_map(|c| parse_cidr(c).ok())
        .map(range)
        .collect();
    taken.sort_unstable();
    let vpcs: Vec<Ipv4Net> = vpc_cidrs
        .iter()
        .filter_map(|c| parse_cidr(c).ok())
        .collect();
    if vpcs.is_empty() {
        return Err("the VPC has no valid CIDR to place a subnet in".into());
    }
    let size = block(prefix);
    for vpc in &vpcs {
        if vpc.prefix_len() > prefix {
            continue;
        }
        let (start, end) = range(*vpc);
        let mut at = u64::from(start);
        // Walk the taken ranges in address order: each overlap pushes the candidate past it,
        // to the next boundary of the block size.
        for &(s, e) in &taken {
            if u64::from(e) < at {
                continue;
            }
            if u64::from(s) >= at + size {
                break;
            }
            at = align_up(u64::from(e) + 1, size);
        }
        if at + size - 1 <= u64::from(end) {
            return Ok(Ipv4Net::new((at as u32).into(), prefix).expect("prefix checked"));
        }
    }
    Err(format!(
        "no free /{prefix} is left in the VPC's CIDRs ({}); choose a smaller subnet or add a secondary CIDR",
        vpcs.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
    ))
}

/// The subnets of `old` moved into `new`, in the order given, each keeping its size; subnets
/// outside `old` (in a secondary CIDR) and CIDRs that do not parse stay as they are. When every
/// moved subnet keeps its offset inside `new`, it does (`10.0.16.0/20` in `10.0.0.0/16` becomes
/// `10.1.16.0/20` in `10.1.0.0/16`); otherwise they are packed from the start of `new`, each
/// at the next boundary of its size. `Err` says why they do not fit.
pub fn renumber_subnets(
    subnet_cidrs: &[String],
    old: Ipv4Net,
    new: Ipv4Net,
) -> Result<Vec<String>, String> {
    let moving: Vec<Option<Ipv4Net>> = subnet_cidrs
        .iter()
        .map(|c| parse_cidr(c).ok().filter(|n| old.contains(n)))
        .collect();
    let (new_start, new_end) = range(new);
    let (old_start, _) = range(old);
    let count = moving.iter().flatten().count();
    // Same offsets, when each still fits.
    let shifted: Option<Vec<u32>> = moving
        .iter()
        .flatten()
        .map(|n| {
            let offset = u64::from(range(*n).0 - old_start);
            let at = u64::from(new_start) + offset;
            (n.prefix_len() >= new.prefix_len()
                && at + block(n.prefix_len()) - 1 <= u64::from(new_end))
            .then_some(at as u32)
        })
        .collect();
    let starts = match shifted {
        Some(starts) => starts,
        None => {
            let mut at = u64::from(new_start);
            let mut starts = Vec::with_capacity(count);
            for n in moving.iter().flatten() {
                let size = block(n.prefix_len());
                at = align_up(at, size);
                starts.push(at as u32);
                at += size;
            }
            if count > 0 && at - 1 > u64::from(new_end) {
                return Err(format!(
                    "the {count} subnets of {old} do not fit in {new}: in their order and sizes they need {} addresses, and it has {}",
                    grouped(at - u64::from(new_start)),
                    grouped(block(new.prefix_len())),
                ));
            }
            starts
        }
    };
    let mut starts = starts.into_iter();
    Ok(subnet_cidrs
        .iter()
        .zip(&moving)
        .map(|(text, m)| match m {
            Some(n) => Ipv4Net::new(
                starts.next().expect("one start per moved subnet").into(),
                n.prefix_len(),
            )
            .expect("prefix kept")
            .to_string(),
            None => text.clone(),
        })
        .collect())
}

/// First and last address of a CIDR, as numbers.
fn range(net: Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

/// Addresses in a `/prefix`.
fn block(prefix: u8) -> u64 {
    1u64 << (32 - u32::from(prefix))
}

/// `65536` as `65,536`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn align_up(at: u64, size: u64) -> u64 {
    at.div_ceil(size) * size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    const DEFAULT: [&str; 6] = [
        "10.0.0.0/24",
        "10.0.1.0/24",
        "10.0.2.0/24",
        "10.0.16.0/20",
        "10.0.32.0/20",
        "10.0.48.0/20",
    ];

    #[test]
    fn the_next_free_block_skips_every_subnet() {
        let vpc = strings(&["10.0.0.0/16"]);
        let subnets = strings(&DEFAULT);
        assert_eq!(
            suggest_subnet_cidr(&vpc, &subnets, 24).unwrap(),
            net("10.0.3.0/24")
        );
        assert_eq!(
            suggest_subnet_cidr(&vpc, &subnets, 20).unwrap(),
            net("10.0.64.0/20")
        );
        assert_eq!(
            suggest_subnet_cidr(&vpc, &subnets, 28).unwrap(),
            net("10.0.3.0/28")
        );
        // A /19 must start on a /19 boundary: 10.0.64.0, past the /20s.
        assert_eq!(
            suggest_subnet_cidr(&vpc, &subnets, 19).unwrap(),
            net("10.0.64.0/19")
        );
        // Empty VPC: its first block.
        assert_eq!(
            suggest_subnet_cidr(&vpc, &[], 18).unwrap(),
            net("10.0.0.0/18")
        );
    }

    #[test]
    fn a_full_primary_cidr_moves_on_to_the_secondary_ones() {
        let vpc = strings(&["10.0.0.0/24", "100.64.0.0/16"]);
        let subnets = strings(&["10.0.0.0/25", "10.0.0.128/25", "100.64.0.0/19"]);
        assert_eq!(
            suggest_subnet_cidr(&vpc, &subnets, 26).unwrap(),
            net("100.64.32.0/26")
        );
        // A block larger than the primary CIDR goes to the secondary one.
        assert_eq!(
            suggest_subnet_cidr(&vpc, &[], 20).unwrap(),
            net("100.64.0.0/20")
        );
    }

    #[test]
    fn no_room_and_bad_sizes_say_why() {
        let vpc = strings(&["10.0.0.0/24"]);
        let e = suggest_subnet_cidr(&vpc, &strings(&["10.0.0.0/24"]), 28).unwrap_err();
        assert!(
            e.contains("no free /28 is left") && e.contains("10.0.0.0/24"),
            "{e}"
        );
        assert!(suggest_subnet_cidr(&vpc, &[], 30)
            .unwrap_err()
            .contains("/16 to /28"));
        assert!(suggest_subnet_cidr(&strings(&["nope"]), &[], 24)
            .unwrap_err()
            .contains("no valid CIDR"));
        // Subnet CIDRs that do not parse take no room.
        assert_eq!(
            suggest_subnet_cidr(&vpc, &strings(&["10.0.0.0/"]), 28).unwrap(),
            net("10.0.0.0/28")
        );
    }

    #[test]
    fn renumbering_to_a_vpc_of_the_same_size_keeps_the_offsets() {
        let out =
            renumber_subnets(&strings(&DEFAULT), net("10.0.0.0/16"), net("10.1.0.0/16")).unwrap();
        assert_eq!(
            out,
            strings(&[
                "10.1.0.0/24",
                "10.1.1.0/24",
                "10.1.2.0/24",
                "10.1.16.0/20",
                "10.1.32.0/20",
                "10.1.48.0/20"
            ])
        );
    }

    #[test]
    fn renumbering_into_a_smaller_vpc_packs_in_order() {
        // 10.0.48.0/20 sits past a /18's end: packed, each on its own boundary, in order.
        let out =
            renumber_subnets(&strings(&DEFAULT), net("10.0.0.0/16"), net("172.16.0.0/18")).unwrap();
        assert_eq!(
            out,
            strings(&[
                "172.16.0.0/24",
                "172.16.1.0/24",
                "172.16.2.0/24",
                "172.16.16.0/20",
                "172.16.32.0/20",
                "172.16.48.0/20"
            ])
        );
        let packed = renumber_subnets(
            &strings(&["10.0.200.0/24", "10.0.100.0/25"]),
            net("10.0.0.0/16"),
            net("10.9.0.0/23"),
        )
        .unwrap();
        assert_eq!(packed, strings(&["10.9.0.0/24", "10.9.1.0/25"]));
    }

    #[test]
    fn subnets_outside_the_old_vpc_stay() {
        let subnets = strings(&["10.0.0.0/24", "100.64.0.0/19", "10.0.0."]);
        let out = renumber_subnets(&subnets, net("10.0.0.0/16"), net("192.168.0.0/16")).unwrap();
        assert_eq!(
            out,
            strings(&["192.168.0.0/24", "100.64.0.0/19", "10.0.0."])
        );
    }

    #[test]
    fn subnets_that_do_not_fit_are_refused_with_the_numbers() {
        let e = renumber_subnets(&strings(&DEFAULT), net("10.0.0.0/16"), net("10.1.0.0/20"))
            .unwrap_err();
        assert!(
            e.contains("the 6 subnets of 10.0.0.0/16 do not fit in 10.1.0.0/20"),
            "{e}"
        );
        assert!(e.contains("need 16,384 addresses, and it has 4,096"), "{e}");
    }
}
