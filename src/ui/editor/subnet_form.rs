//! [`AddSubnet`]: the form that adds a subnet — name, Availability Zone (of the VPC's
//! region), size, public or private — with the CIDR filled in as the next free block of that
//! size in the VPC (`cidr_plan::suggest_subnet_cidr`), which the user may keep or change.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::model::aws::cidr_plan::suggest_subnet_cidr;
use crate::model::aws::vpc::{region_of, MAX_PREFIX, MIN_PREFIX};
use crate::scenario::{Scenario, Subnet};
use crate::ui::controls::Choice;
use crate::ui::field::Field;
use crate::ui::list_edit::unique;
use crate::ui::shared::Part;
use crate::ui::workspace::Edit;

/// The Availability Zones a new subnet may go to: those of the VPC's subnets, then the other
/// zones `a` to `f` of its region (most regions have three to six).
pub fn az_choices(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for x in &s.vpc.subnets {
        if !out.contains(&x.az) {
            out.push(x.az.clone());
        }
    }
    let region = s
        .vpc
        .subnets
        .iter()
        .find_map(|x| region_of(&x.az))
        .unwrap_or("us-east-1")
        .to_string();
    for letter in 'a'..='f' {
        let az = format!("{region}{letter}");
        if !out.contains(&az) {
            out.push(az);
        }
    }
    out
}

/// The name a new subnet is offered: `private-d` for a private subnet in `us-east-1d`.
pub fn suggested_name(s: &Scenario, az: &str, public: bool) -> String {
    let letter = az
        .chars()
        .last()
        .filter(char::is_ascii_lowercase)
        .unwrap_or('x');
    let base = format!("{}-{letter}", if public { "public" } else { "private" });
    unique(&base, |n| s.vpc.subnets.iter().any(|x| x.name == n))
}

/// The suggested CIDR of a new `/prefix` subnet, or why there is none.
pub fn suggested_cidr(s: &Scenario, prefix: u8) -> Result<String, String> {
    let mut cidrs = vec![s.vpc.cidr.clone()];
    cidrs.extend(s.vpc.secondary_cidrs.iter().cloned());
    let taken: Vec<String> = s.vpc.subnets.iter().map(|x| x.cidr.clone()).collect();
    suggest_subnet_cidr(&cidrs, &taken, prefix).map(|c| c.to_string())
}

/// Whether `a` and `b` agree on all the form reads: the VPC (its CIDRs and subnets).
pub fn same_part(a: &Scenario, b: &Scenario) -> bool {
    a.vpc == b.vpc
}

#[derive(PartialEq, Properties)]
pub struct AddSubnetProps {
    /// Compared by [`same_part`]: the VPC.
    pub draft: Part<Scenario>,
    pub on_edit: Callback<Edit>,
}

/// What the user typed; `None` = the suggestion.
#[derive(Clone, PartialEq, Default)]
struct Typed {
    name: Option<String>,
    az: Option<String>,
    cidr: Option<String>,
    prefix: Option<u8>,
    public: bool,
    tried: bool,
}

#[function_component(AddSubnet)]
pub fn add_subnet(props: &AddSubnetProps) -> Html {
    let typed = use_state(Typed::default);
    let s = &props.draft;
    let azs = az_choices(s);
    let az = typed.az.clone().unwrap_or_else(|| azs[0].clone());
    let prefix = typed.prefix.unwrap_or(24);
    let suggestion = suggested_cidr(s, prefix);
    let name = typed
        .name
        .clone()
        .unwrap_or_else(|| suggested_name(s, &az, typed.public));
    let cidr = typed
        .cidr
        .clone()
        .unwrap_or_else(|| suggestion.clone().unwrap_or_default());
    let update = |apply: fn(&mut Typed, String)| {
        let typed = typed.clone();
        Callback::from(move |text: String| {
            let mut next = (*typed).clone();
            apply(&mut next, text);
            typed.set(next);
        })
    };
    let check = if name.trim().is_empty() {
        Err("name the subnet".to_string())
    } else if s.vpc.subnets.iter().any(|x| x.name == name.trim()) {
        Err(format!("a subnet named `{}` exists already", name.trim()))
    } else if cidr.trim().is_empty() {
        Err(suggestion
            .clone()
            .err()
            .unwrap_or_else(|| "give the subnet a CIDR".into()))
    } else {
        Ok(Subnet {
            name: name.trim().to_string(),
            az: az.clone(),
            cidr: cidr.trim().to_string(),
            public: typed.public,
            tags: Default::default(),
        })
    };
    let onsubmit = {
        let typed = typed.clone();
        let on_edit = props.on_edit.clone();
        let check = check.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match &check {
                Ok(subnet) => {
                    on_edit.emit(Edit::AddSubnet(subnet.clone()));
                    typed.set(Typed::default());
                }
                Err(_) => typed.set(Typed {
                    tried: true,
                    ..(*typed).clone()
                }),
            }
        })
    };
    let on_public = {
        let typed = typed.clone();
        Callback::from(move |e: Event| {
            typed.set(Typed {
                public: e.target_unchecked_into::<HtmlInputElement>().checked(),
                ..(*typed).clone()
            })
        })
    };
    let cidr_hint = match &suggestion {
        Ok(c) => format!("the next free /{prefix} in the VPC is {c}"),
        Err(m) => m.clone(),
    };
    let az_options: Vec<(AttrValue, AttrValue)> = azs
        .iter()
        .map(|a| (AttrValue::from(a.clone()), AttrValue::from(a.clone())))
        .collect();
    let sizes: Vec<(AttrValue, AttrValue)> = (MIN_PREFIX..=MAX_PREFIX)
        .map(|p| {
            let addresses = 1u64 << (32 - u32::from(p));
            (
                AttrValue::from(p.to_string()),
                AttrValue::from(format!(
                    "/{p} ({} addresses)",
                    crate::layout::text::thousands(addresses)
                )),
            )
        })
        .collect();
    let message = match (&check, typed.tried) {
        (Err(m), true) => Some(m.clone()),
        _ => None,
    };
    html! {
        <form class="add-workload add-subnet" onsubmit={onsubmit} aria-labelledby="add-subnet-title">
            <h3 id="add-subnet-title">{ "Add a subnet" }</h3>
            <div class="add-grid">
                <Field path="new-subnet.name" label="Name" value={name} oninput={update(|t, v| t.name = Some(v))} />
                <Choice path="new-subnet.az" label="Availability Zone" options={az_options} value={az} on_change={update(|t, v| t.az = Some(v))} />
                <Choice path="new-subnet.prefix" label="Size" options={sizes} value={prefix.to_string()}
                    on_change={update(|t, v| { t.prefix = v.parse().ok(); t.cidr = None; })} />
                <Field path="new-subnet.cidr" label="CIDR" value={cidr} oninput={update(|t, v| t.cidr = Some(v))} hint={cidr_hint} />
            </div>
            <label class="toggle" for="field-new-subnet-public">
                <input type="checkbox" id="field-new-subnet-public" data-field="new-subnet.public" checked={typed.public} onchange={on_public} />
                { "public (routes to the internet gateway)" }
            </label>
            if let Some(m) = message {
                <p class="field-problem" data-problem="new-subnet" data-where="inline" role="alert"><span>{ m }</span></p>
            }
            <button type="submit" class="primary" data-action="add-subnet">{ "Add subnet" }</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn a_new_subnet_is_offered_a_zone_a_name_and_a_free_block() {
        let s = default_scenario();
        let azs = az_choices(&s);
        assert_eq!(
            &azs[..4],
            ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]
        );
        assert_eq!(azs.len(), 6);
        assert_eq!(suggested_name(&s, "us-east-1d", false), "private-d");
        assert_eq!(suggested_name(&s, "us-east-1a", true), "public-a-2");
        assert_eq!(suggested_cidr(&s, 24).unwrap(), "10.0.3.0/24");
        assert_eq!(suggested_cidr(&s, 20).unwrap(), "10.0.64.0/20");
    }
}
