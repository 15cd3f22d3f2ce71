//! `multipart/form-data` bodies (RFC 7578), for the APIs that take files (OpenAI's image edits).
//! The engine builds the whole body — the host only decodes it (`HttpRequest::body_base64`) — so
//! what is sent is the same from every host and checked by the vectors. The boundary is derived
//! from the content (no randomness in the engine), lengthened until no part contains it.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A form field: a text value, or a file with its name and type.
pub enum Field<'a> {
    Text(&'static str, String),
    File { name: &'static str, filename: String, mime: &'a str, bytes: Vec<u8> },
}

/// `(content type, body bytes)` of the fields, in order.
pub fn form(fields: &[Field<'_>]) -> (String, Vec<u8>) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for field in fields {
        let bytes = match field {
            Field::Text(_, value) => value.as_bytes(),
            Field::File { bytes, .. } => bytes.as_slice(),
        };
        for byte in bytes {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    let mut boundary = format!("aipuffer-{hash:016x}");
    while fields.iter().any(|f| contains(f, boundary.as_bytes())) {
        boundary.push('x');
    }
    let mut body = Vec::new();
    for field in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match field {
            Field::Text(name, value) => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes());
                body.extend_from_slice(value.as_bytes());
            }
            Field::File { name, filename, mime, bytes } => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n")
                        .as_bytes(),
                );
                body.extend_from_slice(bytes);
            }
        }
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn contains(field: &Field<'_>, needle: &[u8]) -> bool {
    let hay = match field {
        Field::Text(_, value) => value.as_bytes(),
        Field::File { bytes, .. } => bytes.as_slice(),
    };
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Standard base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16) | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8) | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes of base64 text (standard or URL-safe alphabet, padding optional, whitespace
/// ignored); None when it is not base64.
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    let mut padding = false;
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => {
                padding = true;
                continue;
            }
            _ => return None,
        };
        if padding {
            return None;
        }
        acc = (acc << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone 6 bits make no byte: truncated data.
    (bits < 6).then_some(out)
}

#[cfg(test)]
#[path = "../tests/multipart.rs"]
mod tests;
