//! What goes to the visitor: the portier URL, its QR code (SVG and PNG), and an email draft.

use base64::Engine;
use domain::fragment::link_fragment;
use image::Luma;
use qrcode::QrCode;
use qrcode::render::svg;

/// The visitor's URL on a portier site: the secret in the fragment, which browsers never send to
/// the web server, and the link's end if it has one (RFC 3339, which the page shows as "Works
/// until …" in the visitor's language and time zone).
///
/// ```
/// use links::share::visitor_url;
/// assert_eq!(visitor_url("https://doors.example.com/", "abc", None), "https://doors.example.com/#abc");
/// assert_eq!(
///     visitor_url("https://doors.example.com", "abc", Some("2026-12-24T17:00:00Z")),
///     "https://doors.example.com/#abc&until=2026-12-24T17:00:00Z"
/// );
/// // Escaped by the page's own rule, so no character of it reads as the fragment's own `&` or `=`.
/// assert_eq!(visitor_url("https://doors.example.com", "a&b=c+d", None), "https://doors.example.com/#a%26b%3Dc%2Bd");
/// ```
pub fn visitor_url(site: &str, secret: &str, until: Option<&str>) -> String {
    format!("{}/{}", site.trim().trim_end_matches('/'), link_fragment(secret, None, until))
}

/// The QR code of `text` as an SVG document.
pub fn qr_svg(text: &str) -> Result<String, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| format!("QR code: {e}"))?;
    Ok(code.render::<svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build())
}

/// The QR code of `text` as a PNG image (8 pixels per module, with the quiet zone).
pub fn qr_png(text: &str) -> Result<Vec<u8>, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| format!("QR code: {e}"))?;
    let image = code.render::<Luma<u8>>().module_dimensions(8, 8).quiet_zone(true).build();
    let mut png = Vec::new();
    image.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).map_err(|e| format!("PNG: {e}"))?;
    Ok(png)
}

/// The built-in email template. Placeholders: `{{name}}`, `{{url}}`, `{{valid_until}}`.
pub const DEFAULT_TEMPLATE: &str = include_str!("../templates/email.txt");

/// A link's end as people read it: `Thursday, 24 December 2026, 18:00 (UTC+01:00)`, in the offset
/// the operator gave (the visitor's page shows it in the visitor's own zone and language).
///
/// ```
/// use time::OffsetDateTime;
/// use time::format_description::well_known::Rfc3339;
/// let end = OffsetDateTime::parse("2026-12-24T18:00:00+01:00", &Rfc3339).unwrap();
/// assert_eq!(links::share::for_people(end), "Thursday, 24 December 2026, 18:00 (UTC+01:00)");
/// let end = OffsetDateTime::parse("2026-07-01T09:05:00Z", &Rfc3339).unwrap();
/// assert_eq!(links::share::for_people(end), "Wednesday, 1 July 2026, 09:05 (UTC)");
/// ```
pub fn for_people(end: time::OffsetDateTime) -> String {
    let date =
        time::macros::format_description!("[weekday], [day padding:none] [month repr:long] [year], [hour]:[minute]");
    let offset = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    let zone = if end.offset().is_utc() { String::new() } else { end.offset().format(offset).unwrap_or_default() };
    format!("{} (UTC{zone})", end.format(date).unwrap_or_default())
}

/// Fills `template` (first line `Subject: …`, then the text) for one visitor.
pub fn fill(template: &str, name: &str, url: &str, valid_until: &str) -> String {
    template.replace("{{name}}", name).replace("{{url}}", url).replace("{{valid_until}}", valid_until)
}

/// An email draft (`.eml`, RFC 5322 / MIME) with a plain-text part, an HTML part and the QR code
/// inline. `filled` is a filled template; `to` may be empty (the operator fills it in).
pub fn email_draft(filled: &str, to: &str, url: &str, png: &[u8]) -> String {
    let (subject, text) = match filled.split_once('\n') {
        Some((first, rest)) if first.starts_with("Subject:") => (first["Subject:".len()..].trim(), rest.trim_start()),
        _ => ("Your access link", filled),
    };
    let html_text: String = text
        .split("\n\n")
        .map(|paragraph| {
            let escaped = escape_html(paragraph)
                .replace(&escape_html(url), &format!("<a href=\"{0}\">{0}</a>", escape_html(url)));
            format!("<p>{}</p>\n", escaped.replace('\n', "<br>"))
        })
        .collect();
    let html = format!(
        "<!doctype html><html><body>\n{html_text}<p><img src=\"cid:qr@portier\" alt=\"QR code of your access link\" width=\"256\" height=\"256\"></p>\n</body></html>\n"
    );
    let b64 = |bytes: &[u8]| {
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        encoded.as_bytes().chunks(76).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("\r\n")
    };
    let boundary_alt = "portier-alternative";
    let boundary_rel = "portier-related";
    [
        format!("To: {to}"),
        format!("Subject: =?utf-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(subject)),
        "MIME-Version: 1.0".into(),
        "X-Unsent: 1".into(),
        format!("Content-Type: multipart/related; boundary=\"{boundary_rel}\"; type=\"multipart/alternative\""),
        String::new(),
        format!("--{boundary_rel}"),
        format!("Content-Type: multipart/alternative; boundary=\"{boundary_alt}\""),
        String::new(),
        format!("--{boundary_alt}"),
        "Content-Type: text/plain; charset=utf-8".into(),
        "Content-Transfer-Encoding: base64".into(),
        String::new(),
        b64(text.as_bytes()),
        format!("--{boundary_alt}"),
        "Content-Type: text/html; charset=utf-8".into(),
        "Content-Transfer-Encoding: base64".into(),
        String::new(),
        b64(html.as_bytes()),
        format!("--{boundary_alt}--"),
        format!("--{boundary_rel}"),
        "Content-Type: image/png".into(),
        "Content-Transfer-Encoding: base64".into(),
        "Content-ID: <qr@portier>".into(),
        "Content-Disposition: inline; filename=\"access-link-qr.png\"".into(),
        String::new(),
        b64(png),
        format!("--{boundary_rel}--"),
        String::new(),
    ]
    .join("\r\n")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_is_a_complete_mime_message() {
        let url = visitor_url("https://doors.example.com", "s3cr3t", None);
        // An operator's own template may greet by the link's name: it is escaped like any text.
        let template = format!("{DEFAULT_TEMPLATE}\n{{{{name}}}}");
        let filled = fill(&template, "Ada <Lovelace>", &url, "Tuesday, 1 December 2026, 18:00 (UTC+01:00)");
        let eml = email_draft(&filled, "ada@example.com", &url, &qr_png(&url).unwrap());
        for part in [
            "To: ada@example.com",
            "multipart/related",
            "text/plain; charset=utf-8",
            "text/html; charset=utf-8",
            "Content-ID: <qr@portier>",
            "--portier-related--",
        ] {
            assert!(eml.contains(part), "{part} missing");
        }
        let html_b64: String = eml
            .split("text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .nth(1)
            .unwrap()
            .split("\r\n--")
            .next()
            .unwrap()
            .replace("\r\n", "");
        let html = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(html_b64).unwrap()).unwrap();
        assert!(html.contains("Ada &lt;Lovelace&gt;"), "names are escaped: {html}");
        assert!(html.contains("<a href=\"https://doors.example.com/#s3cr3t\">"), "{html}");
        assert!(html.contains("cid:qr@portier"));
    }

    /// The built-in text greets the visitor, not the link: Kisi's name for a link is the operator's
    /// label ("Ada Lovelace (visitor)"), and it says when the link ends as people say it.
    #[test]
    fn the_built_in_draft_does_not_greet_with_the_links_technical_name() {
        let filled = fill(
            DEFAULT_TEMPLATE,
            "Ada Lovelace (visitor)",
            "https://d.example/#abcd",
            "Thursday, 24 December 2026, 18:00 (UTC+01:00)",
        );
        assert!(!filled.contains("Ada Lovelace"), "{filled}");
        assert!(
            filled.contains("Hello,\n")
                && filled.contains("works until Thursday, 24 December 2026, 18:00 (UTC+01:00)."),
            "{filled}"
        );
    }

    #[test]
    fn qr_codes_render_in_both_formats() {
        assert!(qr_svg("https://doors.example.com/#abc").unwrap().starts_with("<?xml"));
        assert!(qr_png("https://doors.example.com/#abc").unwrap().starts_with(b"\x89PNG"));
    }
}
