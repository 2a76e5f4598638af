//! TaintToleration: the filter (every `NoSchedule`/`NoExecute` taint tolerated) and the
//! score (untolerated `PreferNoSchedule` taints, fewer is better).

use crate::scenario::{Taint, TaintEffect, Toleration, TolerationOperator};

/// Does `toleration` tolerate `taint`? (`v1.Toleration.ToleratesTaint`)
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if toleration.effect.is_some_and(|e| e != taint.effect) {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match toleration.operator {
        TolerationOperator::Exists => true,
        TolerationOperator::Equal => toleration.value.as_deref().unwrap_or("") == taint.value,
    }
}

pub(super) fn blocks_scheduling(taint: &Taint) -> bool {
    matches!(
        taint.effect,
        TaintEffect::NoSchedule | TaintEffect::NoExecute
    )
}

/// The first `NoSchedule`/`NoExecute` taint no toleration tolerates.
pub fn first_untolerated(tolerations: &[Toleration], taints: &[Taint]) -> Option<usize> {
    taints
        .iter()
        .position(|t| blocks_scheduling(t) && !tolerations.iter().any(|tol| tolerates(tol, t)))
}

/// Every `NoSchedule`/`NoExecute` taint is tolerated.
pub fn tolerates_all(tolerations: &[Toleration], taints: &[Taint]) -> bool {
    first_untolerated(tolerations, taints).is_none()
}

/// TaintToleration's score input: `PreferNoSchedule` taints not tolerated by a toleration
/// whose effect is empty or `PreferNoSchedule`.
pub(super) fn intolerable_prefer_no_schedule(tolerations: &[Toleration], taints: &[Taint]) -> u32 {
    taints
        .iter()
        .filter(|t| t.effect == TaintEffect::PreferNoSchedule)
        .filter(|t| {
            !tolerations
                .iter()
                .filter(|tol| {
                    tol.effect.is_none() || tol.effect == Some(TaintEffect::PreferNoSchedule)
                })
                .any(|tol| tolerates(tol, t))
        })
        .count() as u32
}

/// TaintToleration's reverse NormalizeScore.
#[inline]
pub(super) fn taint_normalized(count: u32, max: u32) -> i64 {
    if max == 0 {
        100
    } else {
        100 - 100 * i64::from(count) / i64::from(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toleration_matching_follows_the_api() {
        let taint = Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: TaintEffect::NoSchedule,
        };
        let tol = |key: Option<&str>, op, value: Option<&str>, effect| Toleration {
            key: key.map(Into::into),
            operator: op,
            value: value.map(Into::into),
            effect,
        };
        use TolerationOperator::*;
        assert!(tolerates(
            &tol(Some("dedicated"), Equal, Some("gpu"), None),
            &taint
        ));
        assert!(!tolerates(
            &tol(Some("dedicated"), Equal, Some("cpu"), None),
            &taint
        ));
        assert!(tolerates(
            &tol(
                Some("dedicated"),
                Exists,
                None,
                Some(TaintEffect::NoSchedule)
            ),
            &taint
        ));
        assert!(!tolerates(
            &tol(
                Some("dedicated"),
                Exists,
                None,
                Some(TaintEffect::NoExecute)
            ),
            &taint
        ));
        assert!(tolerates(&tol(None, Exists, None, None), &taint));
        assert!(!tolerates(&tol(Some("other"), Exists, None, None), &taint));
    }
}
