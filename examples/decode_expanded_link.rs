//! Decodes the largest share link the page accepts, the one `expandedLink()` in
//! tests/e2e/browser.bench.mjs builds (the default scenario plus workloads of 20 labels each,
//! up to just under 4 MiB of JSON), `RUNS` times (default 1): a native stand-in for the
//! browser figure, to count instructions with
//! `valgrind --tool=callgrind target/release/examples/decode_expanded_link`. With `BROKEN=1`,
//! the last workload is invalid, with `BROKEN=2` the JSON is cut short: the same link refused
//! at its very end.

use std::io::Write;

use base64::Engine;

fn main() {
    let link = expanded_link();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1);
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let decoded = eksplain::scenario::decode_link(&link);
        let took = start.elapsed();
        match decoded {
            Ok(s) => eprintln!("{} workloads in {took:?}", s.workloads.len()),
            Err(e) => eprintln!("refused in {took:?}: {e}"),
        }
    }
}

/// `#s=1.` and the zlib stream, in URL-safe base64, of the document `expandedLink()` writes.
fn expanded_link() -> String {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/scenarios/default.json"
    ))
    .expect("the default scenario");
    let mut base: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    base["workloads"] = serde_json::json!([]);
    let compact = serde_json::to_string(&base).expect("JSON");
    let labels: Vec<String> = (0..20)
        .map(|i| format!("\"label-{i}\":\"value-{i}\""))
        .collect();
    let labels = labels.join(",");
    const LIMIT: usize = 4 * 1024 * 1024 - 1024;
    let mut size = compact.len();
    let mut workloads = Vec::new();
    for i in 0.. {
        let w = format!("{{\"name\":\"w-{i}\",\"replicas\":0,\"labels\":{{{labels}}}}}");
        size += w.len() + 1;
        if size >= LIMIT {
            break;
        }
        workloads.push(w);
    }
    // BROKEN=1: the last workload's replicas a string, so the link is refused at its end.
    if std::env::var("BROKEN").is_ok_and(|b| b == "1") {
        if let Some(last) = workloads.last_mut() {
            *last = last.replace("\"replicas\":0", "\"replicas\":\"0\"");
        }
    }
    let json = compact.replacen(
        "\"workloads\":[]",
        &format!("\"workloads\":[{}]", workloads.join(",")),
        1,
    );
    // BROKEN=2: the JSON cut short by its last byte.
    let json = match std::env::var("BROKEN").as_deref() {
        Ok("2") => json[..json.len() - 1].to_string(),
        _ => json,
    };
    eprintln!(
        "{} bytes of JSON, {} workloads",
        json.len(),
        workloads.len()
    );
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(json.as_bytes()).expect("in memory");
    let compressed = z.finish().expect("in memory");
    let link = format!(
        "#s=1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    );
    eprintln!("{} characters of link", link.len());
    link
}
