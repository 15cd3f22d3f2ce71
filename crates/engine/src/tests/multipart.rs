//! Unit tests of `providers/multipart`: base64 both ways and deterministic forms.

use crate::providers::multipart::*;

#[test]
fn base64_round_trips_and_refuses_what_is_not_base64() {
    for text in ["", "f", "fo", "foo", "foob", "fooba", "foobar"] {
        let encoded = encode_base64(text.as_bytes());
        assert_eq!(decode_base64(&encoded).as_deref(), Some(text.as_bytes()), "{encoded}");
    }
    assert_eq!(encode_base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(encode_base64(b"fo"), "Zm8=");
    assert_eq!(decode_base64("not base64!"), None);
    assert_eq!(decode_base64("Z"), None);
    assert_eq!(decode_base64("Zm8=Zm8="), None);
}

#[test]
fn a_form_is_deterministic_and_its_boundary_in_no_part() {
    let fields = [
        Field::Text("prompt", "Hi".into()),
        Field::File { name: "image[]", filename: "a.png".into(), mime: "image/png", bytes: vec![1, 2] },
    ];
    let (kind, body) = form(&fields);
    assert_eq!(form(&fields), (kind.clone(), body.clone()));
    let boundary = kind.strip_prefix("multipart/form-data; boundary=").unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\nHi\r\n")));
    assert!(text.ends_with(&format!("--{boundary}--\r\n")));
    let sneaky = [Field::Text("prompt", format!("--{boundary}"))];
    let (other, _) = form(&sneaky);
    assert!(!format!("--{boundary}").contains(other.strip_prefix("multipart/form-data; boundary=").unwrap()) || other.len() > kind.len());
}
