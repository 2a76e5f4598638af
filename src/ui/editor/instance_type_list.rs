//! [`InstanceTypeList`]: the `<datalist>` of every instance type the model knows (1,391),
//! behind the instance-type inputs. It has no props, so it renders once.

use yew::prelude::*;

use crate::model::aws::instance_types::{InstanceType, InstanceTypes};

/// The `id` the inputs name in their `list` attribute.
pub const INSTANCE_TYPES_LIST: &str = "instance-types";

/// A one-line description of a type: `2 vCPU · 8 GiB · 3 ENIs × 10 IPv4`.
pub fn describe(t: &InstanceType) -> String {
    let mut parts = Vec::new();
    if let Some(c) = t.vcpus {
        parts.push(format!("{c} vCPU"));
    }
    if let Some(m) = t.memory_mib {
        let g = m as f64 / 1024.0;
        parts.push(if g.fract() == 0.0 {
            format!("{g:.0} GiB")
        } else {
            format!("{g:.1} GiB")
        });
    }
    parts.push(format!("{} ENIs × {} IPv4", t.max_enis, t.ipv4_per_eni));
    parts.join(" · ")
}

#[function_component(InstanceTypeList)]
pub fn instance_type_list() -> Html {
    let options = use_memo((), |_| {
        InstanceTypes::get()
            .all()
            .iter()
            .map(|t| html! { <option value={t.name.clone()} label={describe(t)} /> })
            .collect::<Html>()
    });
    html! { <datalist id={INSTANCE_TYPES_LIST}>{ (*options).clone() }</datalist> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_size_and_limits() {
        let t = InstanceTypes::get().lookup("m5.large").unwrap();
        assert_eq!(describe(t), "2 vCPU · 8 GiB · 3 ENIs × 10 IPv4");
    }
}
