//! `${PLACEHOLDER}`s: files meant for `envsubst` (the EKS Workshop's) carry them. Each is
//! replaced by a stand-in, and the caller notes which.

/// The Region a `${AWS_REGION}` stands for when `--region` gives none.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Placeholder names that stand for the Region.
const REGION_NAMES: [&str; 3] = ["AWS_REGION", "AWS_DEFAULT_REGION", "REGION"];

/// The stand-in for the placeholder `name`: the Region for `AWS_REGION`, else the name in
/// lower case with `-` for `_` (`${EKS_CLUSTER_NAME}` → `eks-cluster-name`), which reads as
/// what it replaces.
pub fn stand_in(name: &str, region: &str) -> String {
    if REGION_NAMES.contains(&name) {
        return region.to_string();
    }
    name.to_ascii_lowercase().replace('_', "-")
}

/// Whether `placeholder` (`${AWS_REGION}`) stands for the Region.
pub fn is_region(placeholder: &str) -> bool {
    let name = placeholder.trim_start_matches("${").trim_end_matches('}');
    REGION_NAMES.contains(&name)
}

/// `text` with every `${NAME}` replaced, and the (placeholder, stand-in) pairs replaced, in
/// order. A `${` without its `}` is left as it is.
pub fn substitute(text: &str, region: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(text.len());
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        let valid = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        out.push_str(&rest[..start]);
        if valid {
            let value = stand_in(name, region);
            out.push_str(&value);
            found.push((format!("${{{name}}}"), value));
        } else {
            out.push_str(&rest[start..start + 3 + end]);
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    (out, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_get_stand_ins() {
        assert!(is_region("${AWS_REGION}") && !is_region("${EKS_CLUSTER_NAME}"));
        let (text, found) = substitute("${AWS_REGION}a", "eu-west-1");
        assert_eq!(text, "eu-west-1a");
        assert_eq!(found, vec![("${AWS_REGION}".into(), "eu-west-1".into())]);
        let (text, found) = substitute("x-${EKS_CLUSTER_NAME}-${N1}", "us-east-1");
        assert_eq!(text, "x-eks-cluster-name-n1");
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn text_without_placeholders_is_unchanged() {
        for text in [
            "plain",
            "${",
            "${unclosed",
            "$HOME",
            "${a b}",
            "${}",
            "€${X}€",
        ] {
            let (out, found) = substitute(text, "r");
            if text == "€${X}€" {
                assert_eq!(out, "€x€");
            } else {
                assert_eq!(out, text);
                assert!(found.is_empty(), "{text}");
            }
        }
    }
}
