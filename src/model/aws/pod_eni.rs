//! Security groups for pods (ENABLE_POD_ENI): which instance types can have a trunk ENI and
//! how many branch ENIs they carry.

use super::instance_types::{Hypervisor, InstanceType};

/// Branch ENIs the type supports, or why it cannot have a trunk ENI at all.
pub fn branch_capacity(t: &InstanceType) -> Result<u32, String> {
    if t.family().starts_with('t') {
        return Err(format!(
            "{} is in the t family, which does not support security groups for pods",
            t.name
        ));
    }
    if t.hypervisor != Hypervisor::Nitro {
        return Err(format!(
            "{} is not a Nitro instance type; security groups for pods need Nitro",
            t.name
        ));
    }
    match t.branch_enis {
        Some(0) => Err(format!(
            "{} does not support ENI trunking (0 branch ENIs)",
            t.name
        )),
        Some(n) => Ok(n),
        None => Err(format!(
            "{}'s branch ENI limit is not in the VPC resource controller's table",
            t.name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::instance_types::InstanceTypes;

    #[test]
    fn trunking_needs_nitro_outside_the_t_family() {
        let t = |n: &str| InstanceTypes::get().lookup(n).unwrap();
        assert_eq!(branch_capacity(t("m5.large")), Ok(9));
        assert!(branch_capacity(t("t3.large"))
            .unwrap_err()
            .contains("t family"));
        assert!(branch_capacity(t("m4.large"))
            .unwrap_err()
            .contains("not a Nitro"));
    }
}
