//! PodTopologySpread: which constraints filter and which score (the system defaults for a
//! pod with none of its own), the raw score and its normalisation.

use crate::model::k8s::pods::{PodTemplate, SpreadConstraint, TopologyKey};
use crate::scenario::WhenUnsatisfiable;

/// The system default spreading for a pod with no constraints of its own.
pub(super) const SYSTEM_DEFAULT_SPREAD: [SpreadConstraint; 2] = [
    SpreadConstraint {
        max_skew: 3,
        key: TopologyKey::Hostname,
        when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
    },
    SpreadConstraint {
        max_skew: 5,
        key: TopologyKey::Zone,
        when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
    },
];

/// The constraints PodTopologySpread filters and scores with.
pub(super) struct SpreadRules {
    pub(super) filter: Vec<SpreadConstraint>,
    pub(super) score: Vec<SpreadConstraint>,
    /// The pod has constraints of its own: nodes must carry every key to count.
    pub(super) require_all: bool,
}

impl SpreadRules {
    pub(super) fn of(template: &PodTemplate) -> SpreadRules {
        if template.spread.is_empty() {
            return SpreadRules {
                filter: Vec::new(),
                score: SYSTEM_DEFAULT_SPREAD.to_vec(),
                require_all: false,
            };
        }
        let (filter, score) = template
            .spread
            .iter()
            .partition(|c| c.when_unsatisfiable == WhenUnsatisfiable::DoNotSchedule);
        SpreadRules {
            filter,
            score,
            require_all: true,
        }
    }

    pub(super) fn uses(&self, key: TopologyKey) -> bool {
        self.filter.iter().chain(&self.score).any(|c| c.key == key)
    }

    /// Has every key of the `DoNotSchedule` constraints (counts for, and may pass, the filter).
    pub(super) fn filter_keys(&self, has: impl Fn(TopologyKey) -> bool) -> bool {
        self.filter.iter().all(|c| has(c.key))
    }

    /// Is scored by PodTopologySpread: the pod has no constraints of its own, or the node
    /// has every key of the `ScheduleAnyway` ones (otherwise it is ignored: score 0).
    pub(super) fn score_keys(&self, has: impl Fn(TopologyKey) -> bool) -> bool {
        !self.require_all || self.score.iter().all(|c| has(c.key))
    }
}

/// `int64(math.Round(Σ cnt × weight + maxSkew − 1))` over the constraints the node has.
#[inline]
pub(super) fn spread_raw(
    score: &[SpreadConstraint],
    host: Option<u64>,
    zone: Option<u64>,
    w_host: f64,
    w_zone: f64,
) -> i64 {
    let mut total = 0f64;
    for c in score {
        let (count, weight) = match c.key {
            TopologyKey::Hostname => (host, w_host),
            TopologyKey::Zone => (zone, w_zone),
        };
        if let Some(count) = count {
            total += count as f64 * weight + f64::from(c.max_skew) - 1.0;
        }
    }
    round_half_away(total) as i64
}

/// `f64::round` (halves away from zero), by truncating to an integer: one instruction in
/// wasm and natively, where `round` and `trunc` may be library calls. Exact: below 2⁵² the
/// integer part fits an `i64` and `x − t` is representable; from 2⁵² on every `f64` is an
/// integer (or not finite) already.
#[inline]
pub(super) fn round_half_away(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        let t = x as i64 as f64;
        let r = if (x - t).abs() >= 0.5 {
            t + x.signum()
        } else {
            t
        };
        // −0.3 rounds to −0.0, as `round` gives.
        r.copysign(x)
    } else {
        x
    }
}

/// `round_half_away(x) as i64`, straight to the integer for 0 ≤ x < 2⁵² (every raw score
/// of constraints with `maxSkew` ≥ 1: counts and weights are not negative): there the
/// truncation is exact and so is `x − t`, and halves round up. −0.0 takes this path too
/// and gives 0, as the general one does.
#[inline]
pub(super) fn round_to_i64(x: f64) -> i64 {
    if (0.0..4_503_599_627_370_496.0).contains(&x) {
        let t = x as i64;
        t + i64::from(x - t as f64 >= 0.5)
    } else {
        round_half_away(x) as i64
    }
}

/// The `ScheduleAnyway` constraints as [`spread_raw`] reads them, when there is at most one
/// per key (always: the API refuses two on one key with the same `whenUnsatisfiable`, and
/// the system defaults have one each): each key's `maxSkew`, if scored. The raw score is
/// then one sum of at most two terms, the same `f64` as `spread_raw`'s (its running total
/// starts at 0.0, and the terms are never −0.0, so adding in either order gives the same
/// bits), with no loop over the constraints per candidate.
#[derive(Debug, Clone, Copy)]
pub(super) struct ScoreTerms {
    /// Each key's `maxSkew`, as the `f64` the sum adds (converted once, not per candidate).
    host: Option<f64>,
    zone: Option<f64>,
}

impl ScoreTerms {
    /// `None` when a key appears twice (then [`spread_raw`] is used as it is).
    pub(super) fn of(score: &[SpreadConstraint]) -> Option<ScoreTerms> {
        let mut terms = ScoreTerms {
            host: None,
            zone: None,
        };
        for c in score {
            let slot = match c.key {
                TopologyKey::Hostname => &mut terms.host,
                TopologyKey::Zone => &mut terms.zone,
            };
            if slot.replace(f64::from(c.max_skew)).is_some() {
                return None;
            }
        }
        Some(terms)
    }

    /// [`spread_raw`] for these constraints.
    #[inline]
    pub(super) fn raw(self, host: Option<u64>, zone: Option<u64>, w_host: f64, w_zone: f64) -> i64 {
        let term = |skew: Option<f64>, count: Option<u64>, weight: f64| {
            Some(count? as f64 * weight + skew? - 1.0)
        };
        let total = match (term(self.host, host, w_host), term(self.zone, zone, w_zone)) {
            (Some(h), Some(z)) => h + z,
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => 0.0,
        };
        round_to_i64(total)
    }
}

/// PodTopologySpread's NormalizeScore.
#[inline]
pub(super) fn spread_normalized(raw: i64, min: i64, max: i64) -> i64 {
    if max == 0 {
        100
    } else {
        100 * (max + min - raw) / max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_terms_sum_as_spread_raw_does() {
        let c = |key, max_skew| SpreadConstraint {
            max_skew,
            key,
            when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
        };
        let lists = [
            SYSTEM_DEFAULT_SPREAD.to_vec(),
            vec![c(TopologyKey::Zone, 1), c(TopologyKey::Hostname, 2)],
            vec![c(TopologyKey::Zone, 1)],
            vec![c(TopologyKey::Hostname, 7)],
            Vec::new(),
        ];
        for score in &lists {
            let terms = ScoreTerms::of(score).unwrap();
            for (hosts, zones) in [(1, 1), (3, 3), (150, 3), (5_000, 6), (0, 0)] {
                let ln = |n: usize| ((n + 2) as f64).ln();
                let (w_host, w_zone) = (ln(hosts), ln(zones));
                for host in [None, Some(0), Some(1), Some(3), Some(110)] {
                    for zone in [None, Some(0), Some(2), Some(17), Some(50_000)] {
                        assert_eq!(
                            terms.raw(host, zone, w_host, w_zone),
                            spread_raw(score, host, zone, w_host, w_zone),
                            "{score:?} {host:?} {zone:?} {hosts} {zones}"
                        );
                    }
                }
            }
        }
        let twice = [c(TopologyKey::Zone, 1), c(TopologyKey::Zone, 2)];
        assert!(ScoreTerms::of(&twice).is_none());
    }

    #[test]
    fn rounding_matches_the_standard_library() {
        let mut x = -6.0;
        while x <= 6.0 {
            for v in [
                x,
                x + f64::EPSILON,
                x - f64::EPSILON,
                0.49999999999999994,
                -0.5,
            ] {
                assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
                assert_eq!(round_to_i64(v), v.round() as i64, "{v}");
            }
            x += 0.125;
        }
        for v in [
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -0.0,
            4_503_599_627_370_497.0,
        ] {
            assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
            assert_eq!(round_to_i64(v), v.round() as i64, "{v}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
        assert_eq!(round_to_i64(f64::NAN), 0);
    }
}
