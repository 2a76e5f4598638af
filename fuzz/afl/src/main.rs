//! One AFL++ harness for every fuzz target: `EKSPLAIN_FUZZ_TARGET=<name>` picks the target
//! (`eksplain-fuzz list` names them). afl.rs turns a panic into an abort, which AFL++ records
//! as a crash.

fn main() {
    let name = std::env::var("EKSPLAIN_FUZZ_TARGET").unwrap_or_default();
    let Some(target) = eksplain_fuzz::target(&name) else {
        eprintln!("eksplain-fuzz-afl: set EKSPLAIN_FUZZ_TARGET to a target (`{name}` is none)");
        std::process::exit(2);
    };
    afl::fuzz!(|data: &[u8]| {
        (target.run)(data);
    });
}
