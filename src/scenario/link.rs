//! Share links: a whole scenario carried in the URL fragment, so a link is the document.
//!
//! # Format
//!
//! The fragment (everything after the first `#` of a URL) is a list of `key=value` pairs
//! separated by `&`, like a query string:
//!
//! ```text
//! https://example.github.io/eksplain/#s=1.eNqrVipLLSrOzM9TsjLUUSorSFayqlZKzkwpUrJSMjTQA0N9QzOl2loAGdEMDg&flow=internet-%3Eservice/web
//! ```
//!
//! (that scenario is `{"version":1,"vpc":{"cidr":"10.0.0.0/16"}}`).
//!
//! * `s` holds the scenario: `<format>.<payload>`. `<format>` is a decimal number naming how
//!   the payload is written ([`LINK_FORMAT`] is the one this build writes). In format 1 the
//!   payload is URL-safe base64 (RFC 4648 §5, alphabet `A–Z a–z 0–9 - _`) without padding of
//!   the zlib stream (RFC 1950, deflate inside, Adler-32 at the end) of the scenario's compact
//!   JSON (the same JSON `to_json` writes, without whitespace and without fields equal to
//!   their defaults). Padding `=` is tolerated when decoding.
//! * Format 2 names a generated scenario instead of carrying it: `s=2.scale.<nodes>` is
//!   `scale_scenario(nodes)` (`eksplain example --nodes N`), so a 5,000-node cluster travels
//!   in 16 characters rather than 70,000. [`encode`] writes it whenever the scenario is exactly
//!   what the generator makes; any edit makes it a format-1 link again. Such a link opens
//!   what the generator makes *today*, so `scale_scenario` is frozen like a format: the
//!   fixture `tests/fixtures/links/v2-scale-3` pins it, and a generator that must change
//!   gets a new name (`scale2.<nodes>`) beside the old one.
//! * Any other key is state of the page that rides along (the flow being traced, the
//!   selection, …). Keys and values are percent-encoded where needed; [`fragment_params`]
//!   decodes them, [`encode_with`] writes them. Decoding a scenario ignores keys it does not
//!   know, so older builds open links made by newer pages (minus the extra state).
//! * A pair without `=` is a key with an empty value; empty pairs (`&&`) are skipped. When `s`
//!   appears twice, the first one counts. Surrounding whitespace is ignored.
//!
//! # Limits
//!
//! Decoding is bounded and never panics. A payload longer than [`MAX_LINK_PAYLOAD_CHARS`] is
//! refused before anything is decoded; the decompressor runs in steps into a buffer that
//! never grows past [`MAX_EXPANDED_BYTES`] + 1 bytes and stops as soon as the scenario would
//! be larger, so a zlib bomb costs at most that much memory and the time to inflate it; a
//! stream that is cut short, fails its checksum or has bytes after its end is refused as
//! damaged. The JSON is then read by [`from_json`], whose problems carry the field path.
//!
//! # Versions
//!
//! Every format ever published keeps decoding, forever: the fixtures in
//! `tests/fixtures/links/` are links written by earlier builds and must decode to the JSON
//! beside them. [`decode`] dispatches on the number after `s=`; a number above
//! [`LINK_FORMAT`] gets a message saying the link is newer than this build.
//!
//! The link format (`s=<n>`) and the document's `"version"` are separate numbers; a format-1
//! payload always holds a version-1 document. When something changes, a new format number is
//! added and every old decoder stays, with a migration behind it when needed:
//!
//! * **Only the payload's encoding changes** (say format 2 uses a preset zlib dictionary or
//!   another compressor): add `mod v2` with its `encode`/`decode`, make [`encode`] write
//!   `s=2.`, and add `2 => v2::decode(payload)` to the dispatcher in [`decode`]. The
//!   `1 => v1::decode(payload)` arm is untouched.
//! * **The document changes** (document version 2: fields renamed, split or restructured),
//!   with format 2 carrying version-2 documents: the version-1 serde types move to their
//!   own module (e.g. `document_v1.rs`, frozen), next to a total function
//!   `migrate_v1(document_v1::Scenario) -> Scenario`. Format 1 then decodes as
//!   base64 → inflate → JSON → `document_v1::Scenario` → `migrate_v1` → current [`Scenario`],
//!   i.e. the arm becomes `1 => v1::decode(payload).map(migrate_v1)`, with `v1::decode`
//!   parsing into the frozen v1 types. `from_json` does the same for `"version": 1` files.
//!   A later version 3 adds `migrate_v2`, and version 1 goes through both.
//!
//! Never reuse a format number, never change what an existing one means.

use std::fmt;
use std::io::Write;

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use flate2::write::ZlibEncoder;
use flate2::{Compression, Decompress, FlushDecompress, Status};

use super::document::Scenario;
use super::parse::from_json;
use super::problem::Problem;

/// The link format this build writes: `#s=1.…`.
pub const LINK_FORMAT: u32 = 1;

/// The link format of a generated scenario: `#s=2.scale.<nodes>`.
pub const GENERATED_FORMAT: u32 = 2;

/// The newest format this build reads.
const NEWEST_FORMAT: u32 = GENERATED_FORMAT;

/// The fragment key that holds the scenario.
pub const SCENARIO_KEY: &str = "s";

/// The longest payload (characters after `s=1.`) that is decoded at all: 256 KiB of base64,
/// 192 KiB compressed. A realistic scenario takes well under 10 KiB; a 5,000-node one about 70.
pub const MAX_LINK_PAYLOAD_CHARS: usize = 256 * 1024;

/// The most bytes a link's scenario may expand to (its JSON): the same 4 MiB a scenario file
/// may have.
pub const MAX_EXPANDED_BYTES: usize = super::parse::MAX_DOCUMENT_BYTES;

/// Why a link could not be read, phrased for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// The fragment has no `s=` pair.
    NoScenario,
    /// `s=<n>.` with `n` above [`LINK_FORMAT`]: made by a newer eksplain.
    NewerFormat { found: String },
    /// The link is not what eksplain writes: truncated, altered or not a link at all.
    Damaged(String),
    /// The payload is longer than [`MAX_LINK_PAYLOAD_CHARS`]; nothing was decoded.
    TooLong { chars: usize, max: usize },
    /// The payload expands to more than [`MAX_EXPANDED_BYTES`]; decoding stopped there.
    TooLarge { max: usize },
    /// The payload holds JSON that is not a valid scenario.
    Invalid(Vec<Problem>),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::NoScenario => write!(
                f,
                "the link carries no scenario: expected `#{SCENARIO_KEY}={LINK_FORMAT}.` \
                 followed by the scenario's data"
            ),
            LinkError::NewerFormat { found } => {
                write!(
                    f,
                    "the link's format `{SCENARIO_KEY}={found}` is newer than this eksplain \
                     understands (it reads {SCENARIO_KEY}=1 to {SCENARIO_KEY}={NEWEST_FORMAT})"
                )
            }
            LinkError::Damaged(why) => write!(f, "the link is truncated or damaged: {why}"),
            LinkError::TooLong { chars, max } => write!(
                f,
                "the link's scenario is too large: its data is {chars} characters; \
                 eksplain reads at most {max}"
            ),
            LinkError::TooLarge { max } => write!(
                f,
                "the link's scenario is too large: more than {max} bytes once expanded"
            ),
            LinkError::Invalid(problems) => {
                f.write_str("the link's scenario is invalid: ")?;
                for (i, p) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for LinkError {}

/// The fragment of a link to `scenario`, starting with `#`: `#s=1.<payload>`.
///
/// A scenario whose compact JSON is over [`MAX_EXPANDED_BYTES`] gets a link that [`decode`]
/// refuses as too large; the documents people write are a thousand times smaller.
pub fn encode(scenario: &Scenario) -> String {
    encode_with(scenario, &[])
}

/// Like [`encode`], followed by `&key=value` for each extra pair (percent-encoded as needed;
/// pairs whose key is `s` are left out).
pub fn encode_with(scenario: &Scenario, extra: &[(&str, &str)]) -> String {
    let mut out = match generated::encode(scenario) {
        Some(payload) => format!("#{SCENARIO_KEY}={GENERATED_FORMAT}.{payload}"),
        None => format!("#{SCENARIO_KEY}={LINK_FORMAT}.{}", v1::encode(scenario)),
    };
    for (key, value) in extra {
        if *key == SCENARIO_KEY {
            continue;
        }
        out.push('&');
        percent_encode_into(key, &mut out);
        out.push('=');
        percent_encode_into(value, &mut out);
    }
    out
}

/// `key=value` pairs joined by `&`, percent-encoded as [`encode_with`] writes them (no `#`):
/// a fragment's pairs written back without encoding its scenario again.
pub fn encode_params(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(key, &mut out);
        out.push('=');
        percent_encode_into(value, &mut out);
    }
    out
}

/// Reads the scenario of a link: a whole URL (anything up to the first `#` is ignored), or
/// its fragment with or without the `#`. Other `key=value` pairs in the fragment are ignored
/// here (see [`fragment_params`]). Bounded and panic-free on any input (see the module doc);
/// every error is a [`LinkError`] whose `Display` is the message for the user.
pub fn decode(text: &str) -> Result<Scenario, LinkError> {
    let value = raw_pairs(fragment_of(text))
        .find(|(key, _)| percent_decode(key) == SCENARIO_KEY)
        .map(|(_, value)| value)
        .ok_or(LinkError::NoScenario)?;
    let Some((format, payload)) = value.split_once('.') else {
        return Err(LinkError::Damaged(format!(
            "its `{SCENARIO_KEY}=` value has no format number (a link's scenario starts \
             `{SCENARIO_KEY}={LINK_FORMAT}.`)"
        )));
    };
    let format = parse_format(format)?;
    if payload.len() > MAX_LINK_PAYLOAD_CHARS {
        return Err(LinkError::TooLong {
            chars: payload.len(),
            max: MAX_LINK_PAYLOAD_CHARS,
        });
    }
    let mut payload = percent_decode(payload);
    // A link wrapped over lines by a terminal or a mail client: base64 has no whitespace.
    payload.retain(|c| !c.is_ascii_whitespace());
    // The dispatcher: one arm per published format, kept forever.
    match format {
        1 => v1::decode(&payload),
        2 => generated::decode(&payload),
        _ => Err(LinkError::Damaged(format!(
            "format `{SCENARIO_KEY}={format}` was never published"
        ))),
    }
}

/// The `key=value` pairs of a link's fragment (of a whole URL, or of the fragment with or
/// without `#`), percent-decoded, in order. Empty pairs are skipped; a pair without `=` has
/// an empty value.
pub fn fragment_params(text: &str) -> Vec<(String, String)> {
    raw_pairs(fragment_of(text))
        .map(|(k, v)| (percent_decode(k), percent_decode(v)))
        .collect()
}

/// The fragment of `text`: after the first `#` if there is one, else all of it (trimmed).
fn fragment_of(text: &str) -> &str {
    let text = text.trim();
    match text.split_once('#') {
        Some((_, fragment)) => fragment,
        None => text,
    }
}

fn raw_pairs(fragment: &str) -> impl Iterator<Item = (&str, &str)> {
    fragment
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
}

/// The number before the `.` of `s=<n>.`.
fn parse_format(text: &str) -> Result<u32, LinkError> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LinkError::Damaged(format!(
            "its format `{SCENARIO_KEY}={}` is not a number (a link's scenario starts \
             `{SCENARIO_KEY}={LINK_FORMAT}.`)",
            shorten(text)
        )));
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=NEWEST_FORMAT).contains(&n) => Ok(n),
        Ok(0) => Err(LinkError::Damaged(format!(
            "format `{SCENARIO_KEY}=0` was never published"
        ))),
        _ => Err(LinkError::NewerFormat {
            found: shorten(text),
        }),
    }
}

/// At most 16 characters of something the user gave, escaped, for a message.
fn shorten(text: &str) -> String {
    let mut chars = text.chars();
    let mut head: String = chars
        .by_ref()
        .take(16)
        .flat_map(char::escape_debug)
        .collect();
    if chars.next().is_some() {
        head.push('…');
    }
    head
}

/// Format 1: URL-safe base64, no padding, of zlib-compressed compact JSON.
mod v1 {
    use super::*;

    const BASE64: GeneralPurpose = GeneralPurpose::new(
        &alphabet::URL_SAFE,
        GeneralPurposeConfig::new()
            .with_encode_padding(false)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );

    pub(super) fn encode(scenario: &Scenario) -> String {
        // Serialising a Scenario and writing into a Vec cannot fail.
        let json = serde_json::to_vec(scenario).unwrap_or_default();
        let mut z = ZlibEncoder::new(Vec::with_capacity(json.len() / 2), Compression::best());
        let compressed = z
            .write_all(&json)
            .and_then(|()| z.finish())
            .unwrap_or_default();
        BASE64.encode(compressed)
    }

    pub(super) fn decode(payload: &str) -> Result<Scenario, LinkError> {
        let bytes = BASE64.decode(payload).map_err(|e| {
            LinkError::Damaged(match e {
                base64::DecodeError::InvalidByte(at, byte) => format!(
                    "its data has {} at character {}, which base64 links never contain",
                    describe_byte(byte),
                    at + 1
                ),
                base64::DecodeError::InvalidLength(_)
                | base64::DecodeError::InvalidLastSymbol(..) => {
                    "its data ends in the middle of a character group".to_string()
                }
                base64::DecodeError::InvalidPadding => "its data has misplaced padding".to_string(),
            })
        })?;
        let json = inflate_bounded(&bytes, MAX_EXPANDED_BYTES).map_err(|e| match e {
            Inflate::TooLarge { .. } => LinkError::TooLarge {
                max: MAX_EXPANDED_BYTES,
            },
            Inflate::Corrupt(why) => {
                LinkError::Damaged(format!("its data does not decompress ({why})"))
            }
            Inflate::Truncated => {
                LinkError::Damaged("its compressed data is cut short".to_string())
            }
            Inflate::Trailing(n) => LinkError::Damaged(format!(
                "its data has {n} stray byte{} after the scenario",
                if n == 1 { "" } else { "s" }
            )),
        })?;
        let text = String::from_utf8(json).map_err(|_| {
            LinkError::Damaged("its data does not expand to UTF-8 text".to_string())
        })?;
        from_json(&text).map_err(LinkError::Invalid)
    }

    fn describe_byte(byte: u8) -> String {
        if byte.is_ascii_graphic() {
            format!("`{}`", char::from(byte))
        } else if byte == b' ' {
            "a space".to_string()
        } else {
            format!("the byte 0x{byte:02x}")
        }
    }
}

/// Format 2: a generated scenario by its generator and parameters (`scale.<nodes>`).
mod generated {
    use super::*;
    use crate::scenario::link::shorten;
    use crate::scenario::scale::{scale_scenario, MAX_SCALE_NODES};

    /// `scale.<nodes>` when `scenario` is exactly `scale_scenario(nodes)`. Scenarios that
    /// do not carry the generator's name are turned away before anything is generated, so
    /// writing the link of an edited cluster costs no generation.
    pub(super) fn encode(scenario: &Scenario) -> Option<String> {
        let nodes: u32 = scenario
            .name
            .strip_prefix("At scale: ")?
            .split_once(" nodes")?
            .0
            .parse()
            .ok()?;
        if !(1..=MAX_SCALE_NODES).contains(&nodes) || scenario.cluster.name != "scale" {
            return None;
        }
        let same = GENERATED.with(|last| {
            let mut last = last.borrow_mut();
            if last.as_ref().map(|(n, _)| *n) != Some(nodes) {
                *last = Some((nodes, scale_scenario(nodes)));
            }
            last.as_ref()
                .is_some_and(|(_, generated)| generated == scenario)
        });
        same.then(|| format!("scale.{nodes}"))
    }

    thread_local! {
        /// The last generated scenario compared against: the page writes the link after every
        /// change of flow or view, and a 5,000-node cluster is generated once, not each time.
        static GENERATED: std::cell::RefCell<Option<(u32, Scenario)>> = const { std::cell::RefCell::new(None) };
    }

    pub(super) fn decode(payload: &str) -> Result<Scenario, LinkError> {
        let Some((generator, parameters)) = payload.split_once('.') else {
            return Err(LinkError::Damaged(format!(
                "a generated scenario's link reads `{SCENARIO_KEY}={GENERATED_FORMAT}.scale.<nodes>`, \
                 not `{}`",
                shorten(payload)
            )));
        };
        if generator != "scale" {
            return Err(LinkError::Damaged(format!(
                "it names the generator `{}`; this eksplain knows only `scale`",
                shorten(generator)
            )));
        }
        match parameters.parse::<u32>() {
            Ok(nodes)
                if (1..=MAX_SCALE_NODES).contains(&nodes)
                    && parameters.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(scale_scenario(nodes))
            }
            _ => Err(LinkError::Damaged(format!(
                "its node count `{}` is not a whole number from 1 to {MAX_SCALE_NODES}",
                shorten(parameters)
            ))),
        }
    }
}

/// Why [`inflate_bounded`] stopped.
#[derive(Debug, PartialEq, Eq)]
enum Inflate {
    /// The output would exceed the cap; `produced` bytes were written, `consumed` read.
    TooLarge {
        produced: usize,
        consumed: usize,
    },
    Corrupt(String),
    Truncated,
    Trailing(usize),
}

/// Output buffer growth step of [`inflate_bounded`].
const INFLATE_STEP: usize = 16 * 1024;

/// Inflates a zlib stream into at most `cap` bytes, in steps: the output buffer grows by at
/// most [`INFLATE_STEP`] bytes at a time and is never asked to grow past `cap + 1` bytes, so a
/// bomb is refused once it has produced `cap + 1` bytes, having read only the start of its
/// input. The stream must end (with a correct checksum) exactly at the end of `input`.
fn inflate_bounded(input: &[u8], cap: usize) -> Result<Vec<u8>, Inflate> {
    let mut z = Decompress::new(true);
    let mut out: Vec<u8> = Vec::new();
    loop {
        if out.len() == out.capacity() {
            // out.len() <= cap here: it is checked after every step.
            out.reserve_exact(INFLATE_STEP.min(cap.saturating_add(1).saturating_sub(out.len())));
        }
        let (in_before, out_before) = (z.total_in(), z.total_out());
        let rest = usize::try_from(in_before)
            .ok()
            .and_then(|at| input.get(at..))
            .unwrap_or(&[]);
        let status = z
            .decompress_vec(rest, &mut out, FlushDecompress::None)
            .map_err(|e| Inflate::Corrupt(e.to_string()))?;
        if out.len() > cap {
            return Err(Inflate::TooLarge {
                produced: out.len(),
                consumed: usize::try_from(z.total_in()).unwrap_or(usize::MAX),
            });
        }
        match status {
            Status::StreamEnd => break,
            // No input taken and no output given although there was room: the stream ended
            // before its end.
            _ if z.total_in() == in_before && z.total_out() == out_before => {
                return Err(Inflate::Truncated)
            }
            _ => {}
        }
    }
    let consumed = usize::try_from(z.total_in()).unwrap_or(usize::MAX);
    if consumed < input.len() {
        return Err(Inflate::Trailing(input.len() - consumed));
    }
    Ok(out)
}

/// Characters written as they are in a fragment value; everything else is `%XX` (UTF-8).
/// RFC 3986 fragment characters less `&`, `=`, `#`, `%` and `+`.
fn is_plain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || b"-._~!$'()*,;:@/?".contains(&c)
}

fn percent_encode_into(text: &str, out: &mut String) {
    for &b in text.as_bytes() {
        if is_plain(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// `%XX` → byte; a `%` not followed by two hex digits stays as it is. Invalid UTF-8 becomes
/// U+FFFD.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|c| char::from(*c).to_digit(16)),
                bytes.get(i + 2).and_then(|c| char::from(*c).to_digit(16)),
            ) {
                // Two hex digits make at most 0xff.
                out.push(u8::try_from(h * 16 + l).unwrap_or(b'%'));
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    fn b64(data: &[u8]) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
    }

    fn link_of_json(json: &str) -> String {
        format!("#s=1.{}", b64(&zlib(json.as_bytes())))
    }

    #[test]
    fn the_default_scenario_round_trips_in_at_most_400_characters() {
        let s = default_scenario();
        let link = encode(&s);
        assert!(link.starts_with("#s=1.eN"), "{link}");
        assert!(link.len() <= 400, "{} characters: {link}", link.len());
        assert_eq!(decode(&link).unwrap(), s);
    }

    #[test]
    fn a_generated_scenario_travels_as_its_parameters() {
        use crate::scenario::scale_scenario;
        for nodes in [1, 3, 5000] {
            let s = scale_scenario(nodes);
            let link = encode_with(&s, &[("flow", "internet->service/svc-0")]);
            assert_eq!(
                link,
                format!("#s=2.scale.{nodes}&flow=internet-%3Eservice/svc-0")
            );
            assert_eq!(decode(&link).unwrap(), s);
        }
        // Any edit makes it a document again.
        let mut s = scale_scenario(3);
        s.managed_node_groups[0].desired_capacity += 1;
        let link = encode(&s);
        assert!(link.starts_with("#s=1."), "{link}");
        assert_eq!(decode(&link).unwrap(), s);
        // Only the generator's own name is looked at: other scenarios never generate one.
        let mut named = default_scenario();
        named.name = "At scale: 3 nodes, 90 pods".to_string();
        assert!(encode(&named).starts_with("#s=1."));
    }

    #[test]
    fn a_bad_generated_link_says_what_is_wrong() {
        for (link, says) in [
            ("#s=2.scale.0", "from 1 to 5000"),
            ("#s=2.scale.5001", "from 1 to 5000"),
            ("#s=2.scale.+3", "from 1 to 5000"),
            ("#s=2.scale.99999999999999999999", "from 1 to 5000"),
            ("#s=2.scale", "s=2.scale.<nodes>"),
            ("#s=2.fractal.3", "`fractal`"),
        ] {
            let e = decode(link).unwrap_err();
            assert!(matches!(e, LinkError::Damaged(_)), "{link}: {e:?}");
            assert!(e.to_string().contains(says), "{link}: {e}");
        }
        let e = decode("#s=3.abc").unwrap_err();
        assert!(e.to_string().contains("s=1 to s=2"), "{e}");
    }

    #[test]
    fn whole_urls_and_bare_fragments_decode() {
        let s = default_scenario();
        let link = encode(&s);
        let payload = &link[1..];
        let padding = "=".repeat((4 - (link.len() - 5) % 4) % 4);
        for text in [
            link.clone(),
            payload.to_string(),
            format!("https://x.github.io/eksplain/{link}"),
            format!("https://x.github.io/eksplain/embed.html?theme=dark{link}"),
            format!("  https://x.github.io/eksplain/{link}\n"),
            format!("#flow=internet-%3Eservice/web&{payload}"),
            format!("{link}&flow=internet->service/web&&x"),
            format!("{link}{padding}"),
            format!(
                "{}\n  {}\r\n{}",
                &link[..100],
                &link[100..200],
                &link[200..]
            ),
        ] {
            assert_eq!(decode(&text).as_ref(), Ok(&s), "{text}");
        }
    }

    #[test]
    fn extra_state_rides_along() {
        let s = default_scenario();
        let link = encode_with(
            &s,
            &[
                ("flow", "internet->service/web"),
                ("s", "ignored"),
                ("sel", "a&b=c #d%"),
                ("ü", ""),
            ],
        );
        assert!(
            link.contains("&flow=internet-%3Eservice/web&sel=a%26b%3Dc%20%23d%25&%C3%BC="),
            "{link}"
        );
        assert_eq!(decode(&link).unwrap(), s);
        let params = fragment_params(&format!("https://h/p?q=1{link}"));
        let keys: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["s", "flow", "sel", "ü"]);
        assert_eq!(params[1].1, "internet->service/web");
        assert_eq!(params[2].1, "a&b=c #d%");
        assert_eq!(
            fragment_params("#a&b=&=c&&d=1=2&e=%zz%4"),
            [
                ("a".to_string(), String::new()),
                ("b".to_string(), String::new()),
                (String::new(), "c".to_string()),
                ("d".to_string(), "1=2".to_string()),
                ("e".to_string(), "%zz%4".to_string()),
            ]
        );
        assert_eq!(fragment_params(""), []);
    }

    #[test]
    fn messages_name_what_is_wrong() {
        let msg = |text: &str| decode(text).unwrap_err().to_string();
        assert_eq!(
            msg("#s=7.eJxLBAAAYgBi"),
            "the link's format `s=7` is newer than this eksplain understands (it reads s=1 to s=2)"
        );
        assert!(msg("#s=99999999999999999999999.x").contains("`s=9999999999999999…` is newer"));
        assert!(msg("https://x/").starts_with("the link carries no scenario"));
        assert!(msg("#flow=a").starts_with("the link carries no scenario"));
        assert!(msg("#s=abc").contains("has no format number"));
        assert!(msg("#s=x1.abc").contains("is not a number"));
        assert_eq!(
            msg("#s=\n\u{0}12345678901234567890.x"),
            "the link is truncated or damaged: its format `s=\\n\\012345678901234…` is not a \
             number (a link's scenario starts `s=1.`)"
        );
        assert!(msg("#s=0.abc").contains("`s=0` was never published"));
        assert_eq!(
            msg("#s=1.eJ!x"),
            "the link is truncated or damaged: its data has `!` at character 3, which base64 \
             links never contain"
        );
        assert!(msg("#s=1.").contains("cut short"), "{}", msg("#s=1."));
        assert!(msg("#s=1.e").contains("middle of a character group"));
        let link = encode(&default_scenario());
        assert!(msg(&link[..link.len() - 8]).starts_with("the link is truncated or damaged"));
        let too_long = format!("#s=1.{}", "A".repeat(MAX_LINK_PAYLOAD_CHARS + 1));
        assert_eq!(
            msg(&too_long),
            format!(
                "the link's scenario is too large: its data is {} characters; eksplain reads \
                 at most {MAX_LINK_PAYLOAD_CHARS}",
                MAX_LINK_PAYLOAD_CHARS + 1
            )
        );
        assert_eq!(
            msg(&link_of_json("{\"version\":1,\"vpc\":{\"cidr\":3}}")),
            "the link's scenario is invalid: vpc.cidr: invalid type: integer `3`, expected a \
             string"
        );
        assert!(msg(&link_of_json("not json")).contains("invalid: (document): not valid JSON"));
        assert!(msg(&link_of_json("{\"version\":2}")).contains("version 2 is not supported"));
        assert!(msg(&format!("#s=1.{}", b64(&zlib(&[0xff, 0xfe])))).contains("UTF-8"));
    }

    #[test]
    fn a_bad_checksum_and_stray_bytes_are_damage() {
        let mut z = zlib(br#"{"version":1,"vpc":{"cidr":"10.0.0.0/16"}}"#);
        let good = format!("#s=1.{}", b64(&z));
        assert!(decode(&good).is_ok());
        z.push(0);
        let stray = decode(&format!("#s=1.{}", b64(&z))).unwrap_err();
        assert_eq!(
            stray.to_string(),
            "the link is truncated or damaged: its data has 1 stray byte after the scenario"
        );
        z.pop();
        let last = z.len() - 1;
        z[last] ^= 1; // the Adler-32 checksum
        let bad = decode(&format!("#s=1.{}", b64(&z))).unwrap_err();
        assert!(bad.to_string().contains("does not decompress"), "{bad}");
    }

    #[test]
    fn inflating_stops_at_the_cap() {
        let bomb = zlib(&vec![b' '; 4 * 1024 * 1024]);
        let cap = 100_000;
        match inflate_bounded(&bomb, cap) {
            Err(Inflate::TooLarge { produced, consumed }) => {
                assert!(
                    produced > cap && produced <= cap + INFLATE_STEP,
                    "{produced}"
                );
                // Only the start of the stream was read.
                assert!(consumed < bomb.len() / 4, "{consumed} of {}", bomb.len());
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(inflate_bounded(&zlib(&[7; 1000]), 1000).unwrap(), [7; 1000]);
        assert!(matches!(
            inflate_bounded(&zlib(&[7; 1001]), 1000),
            Err(Inflate::TooLarge { produced: 1001, .. })
        ));
        assert!(inflate_bounded(&zlib(&[]), 0).unwrap().is_empty());
        assert_eq!(inflate_bounded(&[], 10), Err(Inflate::Truncated));
    }

    #[test]
    fn params_written_back_read_the_same() {
        let link = encode_with(&default_scenario(), &[("flow", "internet->service/web")]);
        let pairs = fragment_params(&link);
        let borrowed: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(format!("#{}", encode_params(&borrowed)), link);
        assert_eq!(encode_params(&[]), "");
    }

    #[test]
    fn percent_coding_round_trips() {
        for text in [
            "",
            "plain-._~",
            "a b&c=d#e%f+g",
            "ünïcödé ✓ 🦀",
            "%",
            "%%41",
        ] {
            let mut enc = String::new();
            percent_encode_into(text, &mut enc);
            assert!(!enc.contains(['&', '=', '#', ' ', '+']), "{enc}");
            assert_eq!(percent_decode(&enc), text);
        }
        assert_eq!(percent_decode("%41%4a%4A%ff"), "AJJ\u{fffd}");
    }
}
