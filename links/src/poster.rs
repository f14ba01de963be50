//! Printable door posters: one page per door, with the QR code of the link that opens the portier
//! page with that door at the top (`https://<site>/#<secret>&door=<id>`).
//!
//! A poster is a key: whoever can scan it can open the doors of its link. The tool says so when it
//! writes one; the operator decides where it may hang (inside, where everyone who sees it may enter
//! anyway) and revokes the link when a poster goes missing.
//!
//! The secret is only inside the QR codes: no text or attribute of the page carries it, so the
//! poster's words give nothing away — but the HTML file is a key like the posters (its QR codes
//! scan), which is why the tool writes it readable by its owner only and says to delete it.

use std::path::Path;

use base64::Engine;
use qrcode::{Color, EcLevel, QrCode};
use serde::Deserialize;

use domain::door::DoorId;

use crate::site::SiteDoor;
use domain::fragment::link_fragment;

/// The paper a poster is laid out for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Reads `a4` or `letter` (any case).
    ///
    /// ```
    /// use links::poster::Paper;
    /// assert_eq!(Paper::parse("Letter"), Ok(Paper::Letter));
    /// assert!(Paper::parse("a3").is_err());
    /// ```
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            other => Err(format!("--paper must be a4 or letter, not {other:?}")),
        }
    }

    /// The page's width and height in CSS units.
    fn size(self) -> (&'static str, &'static str) {
        match self {
            Paper::A4 => ("210mm", "297mm"),
            Paper::Letter => ("8.5in", "11in"),
        }
    }
}

/// The poster's words in one language.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Words {
    /// The headline under the door's name.
    pub scan: String,
    /// The line under the code.
    pub how: String,
    /// `rtl` for a language written right to left.
    #[serde(default)]
    pub direction: Option<String>,
}

const WORDS: &str = include_str!("../templates/poster.json");

/// The languages posters can be printed in (the site's own).
pub fn languages() -> Vec<String> {
    all_words().into_keys().collect()
}

fn all_words() -> std::collections::BTreeMap<String, Words> {
    let mut table: std::collections::BTreeMap<String, serde_json::Value> =
        serde_json::from_str(WORDS).expect("templates/poster.json is JSON");
    table.retain(|key, _| !key.starts_with('_'));
    table
        .into_iter()
        .map(|(code, words)| (code, serde_json::from_value(words).expect("templates/poster.json: scan and how")))
        .collect()
}

/// The poster's words in `language` (`en`, `de`, …).
///
/// ```
/// assert_eq!(links::poster::words("de").unwrap().scan, "Scannen, um diese Tür zu öffnen");
/// assert!(links::poster::words("tlh").is_err());
/// ```
pub fn words(language: &str) -> Result<Words, String> {
    all_words()
        .remove(&language.to_ascii_lowercase())
        .ok_or_else(|| format!("--lang must be one of {}, not {language:?}", languages().join(", ")))
}

/// The operator's logo, embedded in the poster (SVG, PNG, JPEG or WebP, at most 1 MB).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Logo {
    mime: &'static str,
    bytes: Vec<u8>,
}

impl Logo {
    /// The largest logo a poster embeds: a poster is a page, not an image archive.
    pub const MAX_BYTES: usize = 1 << 20;

    /// Reads a logo file, its type from its name.
    pub fn read(path: &Path) -> Result<Self, String> {
        let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        let mime = match extension.as_str() {
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "jpg" | "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            _ => return Err(format!("the logo must be .svg, .png, .jpg or .webp: {}", path.display())),
        };
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read the logo {}: {e}", path.display()))?;
        if bytes.len() > Self::MAX_BYTES {
            return Err(format!(
                "the logo {} is {} bytes; at most {} fit a poster",
                path.display(),
                bytes.len(),
                Self::MAX_BYTES
            ));
        }
        Ok(Logo { mime, bytes })
    }

    fn data_url(&self) -> String {
        format!("data:{};base64,{}", self.mime, base64::engine::general_purpose::STANDARD.encode(&self.bytes))
    }
}

/// The URL a door's poster encodes: the page's own link fragment with the door named, so the page
/// opens with that door at the top; the secret escaped so that no character of it can be read as
/// the fragment's own `&` or `=` (or be mangled by a scanner).
///
/// ```
/// assert_eq!(
///     links::poster::door_url("https://doors.example.com/", "a+b/c=", 42),
///     "https://doors.example.com/#a%2Bb%2Fc%3D&door=42"
/// );
/// ```
pub fn door_url(site: &str, secret: &str, door: u64) -> String {
    format!("{}/{}", site.trim().trim_end_matches('/'), link_fragment(secret, Some(DoorId(door)), None))
}

/// What a poster run is given.
pub struct Posters<'a> {
    /// The portier site, e.g. `https://doors.example.com`.
    pub site: &'a str,
    /// The link's secret: only ever inside the QR codes.
    pub secret: &'a str,
    /// The doors, one page each, in this order (as the site shows them: [`crate::site::shown_doors`]).
    pub doors: &'a [SiteDoor],
    /// The paper.
    pub paper: Paper,
    /// The language of the words, its code (`en`, …).
    pub language: &'a str,
    /// The operator's logo, on every page.
    pub logo: Option<&'a Logo>,
}

impl Posters<'_> {
    /// The posters as one print-ready HTML document (open it in a browser and print; each door is
    /// a page, the QR code vector-drawn so it prints sharp at any size).
    pub fn html(&self) -> Result<String, String> {
        let words = words(self.language)?;
        let (width, height) = self.paper.size();
        let direction = words.direction.as_deref().unwrap_or("ltr");
        let logo = self.logo.map(|logo| format!("<img class=\"logo\" src=\"{}\" alt=\"\">", logo.data_url()));
        let mut pages = String::new();
        for door in self.doors {
            let code = qr_svg(&door_url(self.site, self.secret, door.id))?;
            let place =
                door.place.as_deref().map(|p| format!("<p class=\"place\">{}</p>", escape(p))).unwrap_or_default();
            let note = door.note.as_deref().map(|n| format!("<p class=\"note\">{}</p>", escape(n))).unwrap_or_default();
            pages.push_str(&format!(
                "<section class=\"poster\" data-door-id=\"{id}\">{logo}{place}<h1>{name}</h1>{note}<p class=\"scan\">{scan}</p>{code}<p class=\"how\">{how}</p></section>\n",
                id = door.id,
                logo = logo.as_deref().unwrap_or_default(),
                name = escape(&door.name),
                scan = escape(&words.scan),
                how = escape(&words.how),
            ));
        }
        Ok(format!(
            "<!doctype html>\n<html lang=\"{lang}\" dir=\"{direction}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n<title>{title}</title>\n<style>\n\
             @page {{ size: {width} {height}; margin: 0; }}\n\
             * {{ box-sizing: border-box; }}\n\
             body {{ margin: 0; font-family: system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif; color: #111; background: #fff; }}\n\
             .poster {{ width: {width}; height: {height}; padding: 18mm; display: flex; flex-direction: column; align-items: center; \
             justify-content: center; gap: 6mm; text-align: center; break-after: page; overflow: hidden; }}\n\
             .logo {{ max-height: 24mm; max-width: 70%; object-fit: contain; }}\n\
             .place {{ margin: 0; font-size: 16pt; color: #444; }}\n\
             .note {{ margin: 0; font-size: 16pt; color: #222; }}\n\
             h1 {{ margin: 0; font-size: 34pt; line-height: 1.15; overflow-wrap: anywhere; }}\n\
             .scan {{ margin: 0; font-size: 20pt; font-weight: 600; }}\n\
             .qr {{ width: 110mm; height: 110mm; }}\n\
             .how {{ margin: 0; max-width: 150mm; font-size: 13pt; line-height: 1.4; color: #333; }}\n\
             </style>\n</head>\n<body>\n{pages}</body>\n</html>\n",
            lang = self.language.to_ascii_lowercase(),
            title = escape(&words.scan),
        ))
    }
}

/// A QR code as an inline SVG: one path of dark modules on white, four modules of quiet zone,
/// error correction level M (the codes survive a scuff; Q or H would only make them denser).
fn qr_svg(text: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| format!("QR code: {e}"))?;
    let width = code.width();
    let quiet = 4;
    let side = width + 2 * quiet;
    let mut path = String::new();
    for (index, colour) in code.to_colors().into_iter().enumerate() {
        if colour == Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", index % width + quiet, index / width + quiet));
        }
    }
    Ok(format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"QR code\" viewBox=\"0 0 {side} {side}\" shape-rendering=\"crispEdges\" \
         xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doors() -> Vec<SiteDoor> {
        vec![
            SiteDoor {
                id: 7,
                name: "Main <entrance>".into(),
                place: Some("HQ & Co".into()),
                note: Some("Pull <hard>".into()),
                hidden: false,
            },
            SiteDoor { id: 12, name: "Bike room".into(), place: None, note: None, hidden: false },
        ]
    }

    #[test]
    fn a_poster_never_carries_the_secret_as_text() {
        let secret = "gl-Secret+with/odd=chars&more";
        for language in languages() {
            let html = Posters {
                site: "https://doors.example.com",
                secret,
                doors: &doors(),
                paper: Paper::A4,
                language: &language,
                logo: None,
            }
            .html()
            .unwrap();
            assert!(
                !html.contains(secret) && !html.contains(&domain::fragment::percent_encode(secret)),
                "{language}: the secret shows"
            );
            assert!(!html.contains("secret=") && !html.contains("&door="), "{language}: a URL shows");
            assert_eq!(html.matches("<section class=\"poster\"").count(), 2, "{language}: a page per door");
            assert!(html.contains("Main &lt;entrance&gt;") && html.contains("HQ &amp; Co"), "{language}: escaped");
            assert!(html.contains("<p class=\"note\">Pull &lt;hard&gt;</p>"), "{language}: the site's note");
        }
    }

    #[test]
    fn letter_and_a4_are_laid_out_for_their_paper() {
        let html = |paper| {
            Posters { site: "https://d.example", secret: "abcd", doors: &doors(), paper, language: "en", logo: None }
                .html()
                .unwrap()
        };
        assert!(html(Paper::A4).contains("size: 210mm 297mm"));
        assert!(html(Paper::Letter).contains("size: 8.5in 11in"));
    }

    #[test]
    fn arabic_posters_read_right_to_left() {
        let html = Posters {
            site: "https://d.example",
            secret: "abcd",
            doors: &doors(),
            paper: Paper::A4,
            language: "ar",
            logo: None,
        }
        .html()
        .unwrap();
        assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
    }

    #[test]
    fn every_door_url_reads_back_through_the_pages_own_parser() {
        use domain::fragment::Fragment;
        // Secrets a Kisi secret may hold that a fragment must escape: its own separators, the
        // escape sign itself, and what scanners or mail clients like to mangle.
        for secret in
            ["abcd1234", "a&door=1", "secret=x", "50%off", "a+b/c==", "#hash#", "x?y!z", "~._-", "é".repeat(2).as_str()]
        {
            let url = door_url("https://doors.example.com/", secret, 4021);
            let fragment = &url[url.find('#').unwrap()..];
            let read = Fragment::parse(fragment);
            if secret.is_ascii() {
                assert_eq!(read.secret.map(|s| s.expose().to_owned()), Ok(secret.to_owned()), "{url}");
            } else {
                // The page refuses non-ASCII secrets (Kisi's are ASCII): it must still not read another.
                assert!(read.secret.is_err(), "{url}");
            }
            assert_eq!(read.door, Some(DoorId(4021)), "{url}");
            assert!(url.is_ascii() && !url[url.find('#').unwrap() + 1..].contains('#'), "{url}");
        }
    }

    #[test]
    fn posters_speak_the_sites_languages() {
        let mut site: Vec<String> = domain::language::LANGUAGES.iter().map(|&code| code.to_owned()).collect();
        site.sort();
        assert_eq!(languages(), site);
        for code in languages() {
            let path = format!("{}/../i18n/{code}.json", env!("CARGO_MANIFEST_DIR"));
            let texts: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let site_direction = texts["_direction"].as_str().unwrap_or("ltr");
            assert_eq!(words(&code).unwrap().direction.as_deref().unwrap_or("ltr"), site_direction, "{code}");
        }
    }

    #[test]
    fn a_logo_is_checked_before_it_is_embedded() {
        let dir = std::env::temp_dir().join(format!("portier-poster-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let svg = dir.join("logo.svg");
        std::fs::write(&svg, "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
        assert!(Logo::read(&svg).unwrap().data_url().starts_with("data:image/svg+xml;base64,"));
        let gif = dir.join("logo.gif");
        std::fs::write(&gif, "GIF89a").unwrap();
        assert!(Logo::read(&gif).unwrap_err().contains(".svg, .png"));
        let huge = dir.join("huge.png");
        std::fs::write(&huge, vec![0u8; Logo::MAX_BYTES + 1]).unwrap();
        assert!(Logo::read(&huge).unwrap_err().contains("at most"));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
