//! `[preprocessor.eksplain]` in book.toml, as mdBook passes it in the context, and where the
//! book's Markdown lives.

use std::path::PathBuf;

use serde_json::Value;

/// Keys mdBook itself reads from every `[preprocessor.NAME]` table.
const MDBOOK_KEYS: [&str; 5] = ["command", "renderers", "before", "after", "optional"];

/// What the preprocessor is told to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The book's source directory: the context's `root` joined with `book.src` (`src`).
    pub src: PathBuf,
    /// `app-url`: where "Open in eksplain" links go; no link without it.
    pub app_url: Option<String>,
    /// `inline = true`: the SVG in the page instead of a file beside the chapter.
    pub inline: bool,
    /// `on-error = "warn"`: a bad block becomes a visible error box instead of failing.
    pub warn: bool,
}

impl Config {
    /// Reads the context mdBook sends: `root`, `config.book.src` and
    /// `config.preprocessor.eksplain`. An unknown key or a value of the wrong kind is an error
    /// naming it.
    pub fn from_context(context: &Value) -> Result<Config, String> {
        let root = context
            .get("root")
            .and_then(Value::as_str)
            .ok_or("the context has no \"root\" (is this mdBook's [context, book] input?)")?;
        let config = context.get("config").unwrap_or(&Value::Null);
        let src = config
            .pointer("/book/src")
            .and_then(Value::as_str)
            .unwrap_or("src");
        let mut out = Config {
            src: PathBuf::from(root).join(src),
            app_url: None,
            inline: false,
            warn: false,
        };
        let Some(table) = config.pointer("/preprocessor/eksplain") else {
            return Ok(out);
        };
        let table = table
            .as_object()
            .ok_or("[preprocessor.eksplain] is not a table")?;
        for (key, value) in table {
            let bad = |want: &str| format!("[preprocessor.eksplain] {key} must be {want}");
            match key.as_str() {
                "app-url" => {
                    let url = value.as_str().ok_or_else(|| bad("a URL string"))?;
                    // As given (`…/app/`, `…/index.html`), less any fragment: the link's
                    // `#s=1.…` is the fragment.
                    let url = url.split('#').next().unwrap_or_default().trim();
                    out.app_url = Some(url.to_string()).filter(|u| !u.is_empty());
                }
                "inline" => out.inline = value.as_bool().ok_or_else(|| bad("true or false"))?,
                "on-error" => {
                    out.warn = match value.as_str() {
                        Some("fail") => false,
                        Some("warn") => true,
                        _ => return Err(bad("\"fail\" or \"warn\"")),
                    }
                }
                k if MDBOOK_KEYS.contains(&k) => {}
                _ => {
                    return Err(format!(
                        "[preprocessor.eksplain] has an unknown key \"{key}\": choose app-url, inline or on-error"
                    ))
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_table_and_the_source_dir() {
        let context = json!({"root": "/b", "config": {"book": {"src": "text"},
            "preprocessor": {"eksplain": {"app-url": "https://x.example/app/#old", "inline": true,
            "on-error": "warn", "command": "mdbook-eksplain"}}}});
        let config = Config::from_context(&context).unwrap();
        assert_eq!(config.src, PathBuf::from("/b/text"));
        assert_eq!(config.app_url.as_deref(), Some("https://x.example/app/"));
        assert!(config.inline && config.warn);
    }

    #[test]
    fn names_a_bad_key_or_value() {
        let context = |t: Value| json!({"root": "/b", "config": {"preprocessor": {"eksplain": t}}});
        let err = Config::from_context(&context(json!({"inlne": true}))).unwrap_err();
        assert!(err.contains("\"inlne\""), "{err}");
        let err = Config::from_context(&context(json!({"on-error": "skip"}))).unwrap_err();
        assert!(err.contains("on-error"), "{err}");
    }
}
