//! Where a wasm's bytes go (the editor's, and embed.html's own): the code section of the
//! linked module (before wasm-bindgen and wasm-opt, which keep the proportions but drop the
//! names), split by the crate and module each function belongs to, plus the data section. The
//! bench report uses it to explain the size budgets with numbers instead of guesses.

use std::collections::BTreeMap;
use std::path::Path;

/// Bytes of one part of the module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub owner: String,
    pub bytes: u64,
    pub functions: u64,
}

/// The module split into parts, biggest first, and its data section's size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    pub parts: Vec<Part>,
    pub code_bytes: u64,
    pub data_bytes: u64,
    /// The data section after gzip -9 (it compresses far better than code).
    pub data_gzip: Option<u64>,
    data: Vec<u8>,
}

impl Breakdown {
    pub fn share(&self, owner_prefix: &str) -> u64 {
        self.parts
            .iter()
            .filter(|p| p.owner.starts_with(owner_prefix))
            .map(|p| p.bytes)
            .sum()
    }
}

pub fn read(path: &Path) -> Result<Breakdown, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut b = breakdown(&bytes)
        .ok_or_else(|| format!("{}: not a wasm module this can read", path.display()))?;
    let data_file = path.with_extension("data-section");
    if std::fs::write(&data_file, &b.data).is_ok() {
        b.data_gzip = crate::gzip_size(&data_file).ok();
        let _ = std::fs::remove_file(&data_file);
    }
    Ok(b)
}

fn leb(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut result = 0u64;
    let mut shift = 0;
    loop {
        let byte = *b.get(*i)?;
        *i += 1;
        result |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(result);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

fn name_bytes<'a>(b: &'a [u8], i: &mut usize) -> Option<&'a [u8]> {
    let len = leb(b, i)? as usize;
    let s = b.get(*i..*i + len)?;
    *i += len;
    Some(s)
}

/// Splits a wasm module's bytes; `None` if they are not a module.
pub fn breakdown(wasm: &[u8]) -> Option<Breakdown> {
    if wasm.get(..4)? != b"\0asm" {
        return None;
    }
    let mut i = 8;
    let (mut imports, mut code, mut names, mut data) = (0u64, None, None, &[][..]);
    while i < wasm.len() {
        let id = *wasm.get(i)?;
        i += 1;
        let len = leb(wasm, &mut i)? as usize;
        let body = wasm.get(i..i + len)?;
        i += len;
        match id {
            0 => {
                let mut j = 0;
                if name_bytes(body, &mut j)? == b"name" {
                    names = Some(&body[j..]);
                }
            }
            2 => imports = function_imports(body)?,
            10 => code = Some(body),
            11 => data = body,
            _ => {}
        }
    }
    let code = code?;
    let names = names.map(function_names).unwrap_or_default();
    let mut j = 0;
    let count = leb(code, &mut j)?;
    let mut by_owner: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut code_bytes = 0;
    for f in 0..count {
        let start = j;
        let size = leb(code, &mut j)?;
        j += size as usize;
        let total = (j - start) as u64;
        let name = names.get(&(imports + f)).map(String::as_str);
        // Type descriptors wasm-bindgen reads and then removes: not shipped.
        if name.is_some_and(|n| n.contains("__wbindgen_describe") || n.contains("WasmDescribe")) {
            continue;
        }
        code_bytes += total;
        let owner = name.map_or_else(|| "unnamed".to_string(), owner);
        let e = by_owner.entry(owner).or_default();
        e.0 += total;
        e.1 += 1;
    }
    let mut parts: Vec<Part> = by_owner
        .into_iter()
        .map(|(owner, (bytes, functions))| Part {
            owner,
            bytes,
            functions,
        })
        .collect();
    parts.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.owner.cmp(&b.owner)));
    Some(Breakdown {
        parts,
        code_bytes,
        data_bytes: data.len() as u64,
        data_gzip: None,
        data: data.to_vec(),
    })
}

/// Imported functions come first in the function index space.
fn function_imports(body: &[u8]) -> Option<u64> {
    let mut j = 0;
    let count = leb(body, &mut j)?;
    let mut functions = 0;
    for _ in 0..count {
        name_bytes(body, &mut j)?;
        name_bytes(body, &mut j)?;
        let kind = *body.get(j)?;
        j += 1;
        match kind {
            0 => {
                leb(body, &mut j)?;
                functions += 1;
            }
            1 => {
                j += 1;
                let flags = leb(body, &mut j)?;
                leb(body, &mut j)?;
                if flags & 1 == 1 {
                    leb(body, &mut j)?;
                }
            }
            2 => {
                let flags = leb(body, &mut j)?;
                leb(body, &mut j)?;
                if flags & 1 == 1 {
                    leb(body, &mut j)?;
                }
            }
            3 => j += 2,
            _ => return None,
        }
    }
    Some(functions)
}

/// The name section's function names (subsection 1).
fn function_names(body: &[u8]) -> BTreeMap<u64, String> {
    let mut out = BTreeMap::new();
    let mut j = 0;
    while j < body.len() {
        let Some(&id) = body.get(j) else { break };
        j += 1;
        let Some(len) = leb(body, &mut j) else { break };
        let end = j + len as usize;
        if id == 1 {
            let mut k = j;
            let count = leb(body, &mut k).unwrap_or(0);
            for _ in 0..count {
                let (Some(index), Some(name)) = (leb(body, &mut k), name_bytes(body, &mut k))
                else {
                    break;
                };
                out.insert(index, String::from_utf8_lossy(name).into_owned());
            }
        }
        j = end;
    }
    out
}

/// The crate (and, for eksplain, the top module) a symbol belongs to: the first path of its
/// legacy-mangled name (`_ZN8eksplain5model…`, or `_ZN…_$LT$yew..html..…` for an impl, whose
/// self type decides); std's v0 names (`_R…`) by the standard crates they mention.
pub fn owner(symbol: &str) -> String {
    if let Some(rest) = symbol.strip_prefix("_ZN") {
        return legacy_owner(rest);
    }
    if symbol.starts_with("_R") {
        let found = ["4core", "5alloc", "3std", "8dlmalloc", "9hashbrown"]
            .iter()
            .filter_map(|t| symbol.find(t).map(|at| (at, &t[1..])))
            .min();
        return group(found.map_or("other", |(_, name)| name), "");
    }
    let runtime = symbol.starts_with("__wbindgen") || symbol.starts_with("__wbg");
    group(if runtime { "wasm_bindgen" } else { "other" }, "")
}

/// `<len>ident<len>ident…` after `_ZN`.
fn legacy_owner(rest: &str) -> String {
    let segment = |text: &str| -> Option<(usize, usize)> {
        let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
        let len: usize = text.get(..digits)?.parse().ok()?;
        text.get(digits..digits + len)?;
        Some((digits, len))
    };
    let Some((d, len)) = segment(rest) else {
        return group("other", "");
    };
    let first = &rest[d..d + len];
    if let Some(mut inner) = first.strip_prefix("_$LT$") {
        for prefix in [
            "$RF$",
            "mut$u20$",
            "$u5b$",
            "$BP$",
            "const$u20$",
            "dyn$u20$",
        ] {
            while let Some(r) = inner.strip_prefix(prefix) {
                inner = r;
            }
        }
        // `<T as alloc::string::ToString>`: a generic self type; the trait's crate owns it.
        if let Some(trait_path) = inner
            .split_once("$u20$as$u20$")
            .filter(|(ty, _)| ty.len() <= 2 && ty.chars().all(|c| c.is_ascii_uppercase()))
            .map(|(_, t)| t)
        {
            inner = trait_path;
        }
        let mut segments = inner.split("..");
        let krate = segments.next().unwrap_or("");
        let module = segments
            .next()
            .unwrap_or("")
            .split('$')
            .next()
            .unwrap_or("");
        return group(krate, module);
    }
    let after = &rest[d + len..];
    let module = segment(after).map_or("", |(d2, l2)| &after[d2..d2 + l2]);
    group(first, module)
}

fn group(krate: &str, module: &str) -> String {
    let krate = krate.trim_start_matches('_');
    match krate {
        "eksplain" => format!("eksplain::{module}"),
        "core" | "alloc" | "std" | "dlmalloc" | "hashbrown" => {
            "Rust standard library (core, alloc, std, hashbrown, dlmalloc)".into()
        }
        "serde" | "serde_core" | "serde_json" | "serde_path_to_error" => {
            format!("serde: {krate}")
        }
        "wasm_bindgen" | "js_sys" | "web_sys" | "wasm_bindgen_futures" => {
            "wasm-bindgen, js-sys, web-sys".into()
        }
        "flate2" | "miniz_oxide" | "base64" | "adler2" | "crc32fast" => {
            "share-link codec (flate2, miniz_oxide, base64)".into()
        }
        k if k.starts_with("yew") || k.starts_with("implicit_clone") => {
            "yew (and its helpers)".into()
        }
        k if k.starts_with("gloo") => "gloo".into(),
        "" => "other".into(),
        k => k.to_string(),
    }
}

/// Which wasm a section of the report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Module {
    /// The editor's (index.html): `eksplain-web`.
    Page,
    /// embed.html's: `eksplain-embed`, the viewer alone.
    Embed,
}

impl Module {
    /// The section's heading.
    fn heading(self) -> &'static str {
        match self {
            Module::Page => "## Where the wasm's bytes go",
            Module::Embed => "## Where the embed wasm's bytes go (embed.html)",
        }
    }

    /// The binary's name (Cargo.toml).
    fn bin(self) -> &'static str {
        match self {
            Module::Page => "eksplain-web",
            Module::Embed => "eksplain-embed",
        }
    }
}

/// The data section's row.
const DATA_SECTION: &str =
    "data section (texts, the instance-type tables, vtables, Unicode and number tables)";

/// The editor's wasm as issue 17 measured it (the site then had one wasm), each part's share of
/// the gzipped module in KiB, by the owner its row starts with: the "before" of the size work,
/// printed beside each part's figure now.
const ISSUE_17_KIB: [(&str, u32); 9] = [
    ("Rust standard library", 117),
    ("eksplain::ui", 94),
    (DATA_SECTION, 93),
    ("yew", 83),
    ("eksplain::model", 65),
    ("serde: serde_path_to_error", 37),
    ("eksplain::scenario", 24),
    ("eksplain::layout", 20),
    ("share-link codec", 6),
];

/// Issue 17's figure for a row of the editor's table (`None` for the embed's: it had none).
fn before(module: Module, owner: &str) -> Option<u32> {
    (module == Module::Page)
        .then(|| ISSUE_17_KIB.iter().find(|(o, _)| owner.starts_with(o)))
        .flatten()
        .map(|&(_, kib)| kib)
}

/// The report's section: the code by owner, and what the parts needed for a first diagram
/// weigh on their own. `wasm_gzip` is the shipped module's gzip size, to scale shares to.
pub fn render(wasm: &Result<Breakdown, String>, wasm_gzip: Option<u64>, module: Module) -> String {
    let mut r = format!("{}\n\n", module.heading());
    let b = match wasm {
        Ok(b) => b,
        Err(why) => {
            r.push_str(&format!("Not measured: {why}.\n\n"));
            return r;
        }
    };
    let total = (b.code_bytes + b.data_bytes).max(1);
    // The data section's gzip size is measured; the code's is spread over the parts.
    let code_gzip = wasm_gzip.map(|gz| gz.saturating_sub(b.data_gzip.unwrap_or(0)));
    let kib = |bytes: f64| format!("≈ {:.0} KiB", bytes / 1024.0);
    let scaled = |bytes: u64| -> String {
        code_gzip.map_or_else(String::new, |gz| {
            kib(bytes as f64 / b.code_bytes.max(1) as f64 * gz as f64)
        })
    };
    r.push_str(&format!(
        "The linked module before wasm-bindgen and wasm-opt (`target/wasm32-unknown-unknown/wasm-release/{}.wasm`, which still has function names), \
         split by the crate — for eksplain, the layer — that each function's path starts with; generic code is counted where it is defined \
         (`Vec<Pod>::clone` is the standard library's). The last column is the data section's own gzip size, \
         and the rest of the shipped module's gzip size spread over the code in proportion.{}\n\n\
         | part | functions | bytes before wasm-opt | share | of the gzipped wasm |{}\n|---|---:|---:|---:|---:|{}\n",
        module.bin(),
        if module == Module::Page {
            " The column before it gives issue 17's figures (the editor's wasm when the issue was \
             filed, its gzip size split the same way), the \"before\" of the size work."
        } else {
            ""
        },
        if module == Module::Page { " issue 17 (before) |" } else { "" },
        if module == Module::Page { "---:|" } else { "" },
    ));
    let mut rows: Vec<(String, u64, u64)> = b
        .parts
        .iter()
        .map(|p| (p.owner.clone(), p.functions, p.bytes))
        .collect();
    rows.push((DATA_SECTION.into(), 0, b.data_bytes));
    rows.sort_by_key(|r| std::cmp::Reverse(r.2));
    for (owner, functions, bytes) in rows.iter().filter(|r| r.2 * 200 >= total) {
        let (functions, gzip) = if *functions == 0 {
            let gzip = b.data_gzip.map(|g| kib(g as f64)).unwrap_or_default();
            ("—".to_string(), gzip)
        } else {
            (functions.to_string(), scaled(*bytes))
        };
        let was = match before(module, owner) {
            Some(kib) => format!(" ≈ {kib} KiB |"),
            None if module == Module::Page => " |".into(),
            None => String::new(),
        };
        r.push_str(&format!(
            "| {owner} | {functions} | {bytes} | {:.1} % | {gzip} |{was}\n",
            *bytes as f64 * 100.0 / total as f64,
        ));
    }
    let small: u64 = rows.iter().filter(|r| r.2 * 200 < total).map(|r| r.2).sum();
    // A part issue 17 named that is no longer in the module (or is among the small ones).
    if module == Module::Page {
        for (owner, kib) in ISSUE_17_KIB {
            let shown = rows
                .iter()
                .any(|r| r.0.starts_with(owner) && r.2 * 200 >= total);
            if !shown {
                let now = rows
                    .iter()
                    .find(|r| r.0.starts_with(owner))
                    .map_or(0, |r| r.2);
                let gzip = if now == 0 { "gone".into() } else { scaled(now) };
                r.push_str(&format!(
                    "| {owner} | | {now} | {:.1} % | {gzip} | ≈ {kib} KiB |\n",
                    now as f64 * 100.0 / total as f64,
                ));
            }
        }
    }
    r.push_str(&format!(
        "| the rest (parts under 0.5 % each) | | {small} | {:.1} % | {} |{}\n\n",
        small as f64 * 100.0 / total as f64,
        scaled(small),
        if module == Module::Page { " |" } else { "" },
    ));
    let first_diagram = b.share("eksplain::model")
        + b.share("eksplain::layout")
        + b.share("eksplain::scenario")
        + b.share("serde");
    let ui = b.share("eksplain::ui");
    let yew = b.share("yew");
    r.push_str(&format!(
        "The model, the layout and reading a scenario (with serde) — all needed before the first diagram — are {:.0} % of the code; \
         the UI's own functions {:.0} % and Yew {:.0} %. The standard library's share is mostly generic code instantiated for the model's types. \
         A page that draws the first diagram therefore cannot leave much out: the budget would need the model itself to shrink.\n\n",
        first_diagram as f64 * 100.0 / b.code_bytes.max(1) as f64,
        ui as f64 * 100.0 / b.code_bytes.max(1) as f64,
        yew as f64 * 100.0 / b.code_bytes.max(1) as f64,
    ));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_come_from_the_first_path() {
        assert_eq!(
            owner("_ZN8eksplain5model5build5build17hc8f331655caf0ea4E"),
            "eksplain::model"
        );
        assert_eq!(
            owner("_ZN76_$LT$eksplain..ui..app..App$u20$as$u20$yew..functional..FunctionProvider$GT$3run3app17hc535f0a4eb11bae4E"),
            "eksplain::ui"
        );
        assert_eq!(
            owner("_ZN94_$LT$serde_path_to_error..de..TrackedSeed$LT$X$GT$$u20$as$u20$serde_core..de..DeserializeSeed$GT$11deserialize17h2E"),
            "serde: serde_path_to_error"
        );
        assert_eq!(
            owner("_ZN3yew4html9component3foo17h0E"),
            "yew (and its helpers)"
        );
        assert!(owner("_RNvNtCs1234_4core3fmt5write").starts_with("Rust standard library"));
        assert_eq!(owner("__wbindgen_malloc"), "wasm-bindgen, js-sys, web-sys");
        assert_eq!(owner("memcpy"), "other");
        assert!(
            owner("_ZN45_$LT$T$u20$as$u20$alloc..string..ToString$GT$9to_string17h3E")
                .starts_with("Rust standard library")
        );
    }

    /// A module with one imported and two defined functions, a data segment and names.
    fn module() -> Vec<u8> {
        let mut m = b"\0asm\x01\0\0\0".to_vec();
        let section = |m: &mut Vec<u8>, id: u8, body: &[u8]| {
            m.push(id);
            m.push(body.len() as u8);
            m.extend_from_slice(body);
        };
        section(&mut m, 1, &[1, 0x60, 0, 0]);
        section(&mut m, 2, &[1, 1, b'm', 1, b'f', 0, 0]);
        section(&mut m, 3, &[2, 0, 0]);
        section(&mut m, 10, &[2, 2, 0, 0x0b, 4, 0, 0x01, 0x01, 0x0b]);
        section(&mut m, 11, &[1, 0, 0x41, 0, 0x0b, 3, b'a', b'b', b'c']);
        let a = b"_ZN8eksplain5model1a17hE";
        let b = b"_ZN3yew1b17hE";
        let mut names = vec![2u8];
        names.push(1);
        names.push(a.len() as u8);
        names.extend_from_slice(a);
        names.push(2);
        names.push(b.len() as u8);
        names.extend_from_slice(b);
        let mut body = vec![4, b'n', b'a', b'm', b'e', 1, names.len() as u8];
        body.extend_from_slice(&names);
        section(&mut m, 0, &body);
        m
    }

    #[test]
    fn a_module_splits_by_owner() {
        let b = breakdown(&module()).unwrap();
        assert_eq!(b.code_bytes, 3 + 5);
        assert_eq!(b.data_bytes, 9);
        assert_eq!(b.parts[0].owner, "yew (and its helpers)");
        assert_eq!(b.parts[0].bytes, 5);
        assert_eq!(b.share("eksplain::"), 3);
        assert_eq!(breakdown(b"not wasm"), None);
    }

    #[test]
    fn the_section_names_the_parts_and_scales_to_gzip() {
        let b = breakdown(&module()).unwrap();
        let text = render(&Ok(b.clone()), Some(1700), Module::Page);
        assert!(text.contains("| yew (and its helpers) | 1 | 5 |"), "{text}");
        // Issue 17's figures beside the editor's parts, and the parts it named that are gone.
        assert!(
            text.contains("| issue 17 (before) |")
                && text.contains(
                    "of the gzipped wasm | issue 17 (before) |\n|---|---:|---:|---:|---:|---:|"
                ),
            "{text}"
        );
        let yew_row = text.lines().find(|l| l.starts_with("| yew")).unwrap();
        assert!(yew_row.ends_with("| ≈ 83 KiB |"), "{yew_row}");
        assert!(
            text.contains("| serde: serde_path_to_error | | 0 | 0.0 % | gone | ≈ 37 KiB |"),
            "{text}"
        );
        assert!(text.contains("wasm-release/eksplain-web.wasm"), "{text}");
        let embed = render(&Ok(b), Some(1700), Module::Embed);
        assert!(embed.contains("embed wasm") && embed.contains("wasm-release/eksplain-embed.wasm"));
        assert!(
            !embed.contains("issue 17"),
            "the embed had no before: {embed}"
        );
        assert!(text.contains("data section"), "{text}");
        assert!(text.contains("≈ "), "{text}");
        assert!(
            render(&Err("no file".into()), None, Module::Page).contains("Not measured: no file")
        );
    }
}
