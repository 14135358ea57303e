//! The golden corpus (`tests/golden/`): every stored entry read by the Rust decoder
//! ([`wasm_session_store::entry::decode_entry`]) to the outcome `expected.json` gives, the same
//! file `tests/js/golden.test.mjs` holds the JavaScript codec to.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use serde_json::Value;
use wasm_session_store::entry::decode_entry;
use wasm_session_store::record::Corrupt;

fn time(outcome: &Value, name: &str) -> Option<f64> {
    outcome[name].as_f64()
}

#[test]
fn the_rust_decoder_reads_every_entry_of_the_corpus_as_expected_json_says() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let expected: Value = serde_json::from_str(&fs::read_to_string(golden.join("expected.json")).unwrap()).unwrap();
    let expected = expected.as_object().unwrap();
    let mut read = 0;
    for file in fs::read_dir(golden.join("entries")).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&path).unwrap();
        let want = &expected[&name];
        match (want["outcome"].as_str().unwrap(), decode_entry(&text)) {
            ("absent", Ok(None)) | ("corrupt", Err(Corrupt)) => {}
            ("session", Ok(Some(entry))) => {
                assert_eq!(entry.data, want["data"].as_str().unwrap(), "{name}: the data's text");
                let times = (entry.meta.expires_at, entry.meta.created_at, entry.meta.deadline);
                let wanted = (time(want, "expiresAt"), time(want, "createdAt"), time(want, "deadline"));
                assert_eq!(times, wanted, "{name}: the times");
            }
            (outcome, read) => panic!("{name}: expected {outcome}, read {read:?}"),
        }
        read += 1;
    }
    assert_eq!(read, expected.len(), "every expected outcome has its entry");
}
