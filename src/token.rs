//! Session ids and tokens: 256 bits from the platform CSPRNG, and their SHA-256 hashes.

use alloc::{string::String, vec::Vec};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Bytes of randomness in a token or session id.
pub const TOKEN_BYTES: usize = 32;

/// The platform's CSPRNG (`crypto.getRandomValues` in browsers and Node) failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RandomnessUnavailable;

/// 256 random bits, base64url without padding (43 characters).
pub fn generate_token() -> Result<String, RandomnessUnavailable> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|_| RandomnessUnavailable)?;
    Ok(base64url(&bytes))
}

/// Session ids are drawn like tokens: unguessable, so knowing one never helps to forge another.
pub fn generate_session_id() -> Result<String, RandomnessUnavailable> {
    generate_token()
}

/// Lowercase hex SHA-256 of the token's UTF-8 bytes (64 characters), as @dotdo/workers stores it.
pub fn hash_token(token: &str) -> String {
    hex(&sha256(token.as_bytes()))
}

/// One SHA-256 path for the module, whoever needs a digest.
#[inline(never)]
fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Compares two hashes in time independent of where they differ.
pub fn hashes_match(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// `next` sealed with `token`, the token it replaces: lowercase hex of `next`'s bytes XOR a pad
/// drawn from SHA-256 of `token` under this purpose's own label. Only a holder of `token` can open
/// it, and the stored hash of `token` (SHA-256 without the label) says nothing of the pad.
pub fn seal_successor(token: &str, next: &str) -> String {
    hex(&xor_pad(token, next.as_bytes()))
}

/// The token `sealed` holds, for a holder of the token it was sealed with; `None` when it is not
/// hex of a sealed token.
pub fn open_successor(token: &str, sealed: &str) -> Option<String> {
    let bytes = sealed.as_bytes();
    if bytes.len() % 2 != 0 || bytes.len() > 2 * 2 * TOKEN_BYTES {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let raw = bytes
        .chunks_exact(2)
        .map(|pair| Some(nibble(*pair.first()?)? << 4 | nibble(*pair.last()?)?))
        .collect::<Option<Vec<u8>>>()?;
    // A token is base64url: its bytes are its characters.
    let next = xor_pad(token, &raw);
    next.iter()
        .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        .then(|| next.into_iter().map(char::from).collect())
}

/// `data` XOR SHA-256(label, block number, `token`) blocks.
fn xor_pad(token: &str, data: &[u8]) -> Vec<u8> {
    const LABEL: &[u8] = b"wasm-session-store successor 0";
    let mut out = Vec::with_capacity(data.len());
    let mut input = Vec::from(LABEL);
    input.extend_from_slice(token.as_bytes());
    for chunk in data.chunks(32) {
        let pad = sha256(&input);
        out.extend(chunk.iter().zip(pad.iter()).map(|(a, b)| a ^ b));
        input[LABEL.len() - 1] += 1;
    }
    out
}

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        // n bytes carry n + 1 sextets; no padding.
        for sextet in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((group >> (18 - 6 * sextet)) & 63) as usize]));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_vectors_without_padding() {
        let cases = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64url(input.as_bytes()), expected);
        }
        assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_", "the URL-safe alphabet");
    }

    #[test]
    fn tokens_are_43_url_safe_characters_and_differ() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
        assert_eq!(generate_session_id().unwrap().len(), 43);
    }

    #[test]
    fn hash_is_lowercase_hex_sha256_of_utf8() {
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(hash_token(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hash_token("é").len(), 64);
    }

    #[test]
    fn a_sealed_successor_opens_only_with_the_token_it_was_sealed_with() {
        let (old, next) = (generate_token().unwrap(), generate_token().unwrap());
        let sealed = seal_successor(&old, &next);
        assert_eq!(sealed.len(), 86);
        assert!(!sealed.contains(&next));
        assert_eq!(open_successor(&old, &sealed).as_deref(), Some(next.as_str()));
        assert_ne!(open_successor(&generate_token().unwrap(), &sealed).as_deref(), Some(next.as_str()));
        assert_eq!(open_successor(&old, "xyz"), None);
        assert_eq!(open_successor(&old, &"ab".repeat(200)), None);
    }

    #[test]
    fn hashes_match_only_when_equal() {
        let h = hash_token("t");
        assert!(hashes_match(&h, &hash_token("t")));
        assert!(!hashes_match(&h, &hash_token("u")));
        assert!(!hashes_match(&h, &h[..63]));
    }
}
