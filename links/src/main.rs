//! `portier-links` — create, list and revoke Kisi group links for a portier site.
//!
//! The API key comes from `KISI_API_KEY` or `--api-key-file`, never from a flag value (flags end up
//! in shell history and process lists); it is never printed. A link's secret for `doors` comes the
//! same way, from `KISI_LINK_SECRET` or `--secret-file`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use links::api::{DEFAULT_API, Kisi};
use links::input::{NewLink, Typed};
use links::poster::{self, Logo, Paper, Posters};
use links::share;
use links::site::{self, SiteDoor};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Parser)]
#[command(name = "portier-links", version, about = "Create, list and revoke Kisi group links for a portier site")]
struct Cli {
    /// Kisi API base URL (or KISI_API).
    #[arg(long, global = true, env = "KISI_API", default_value = DEFAULT_API)]
    api: String,
    /// Read the API key from this file instead of KISI_API_KEY.
    #[arg(long, global = true, value_name = "FILE")]
    api_key_file: Option<PathBuf>,
    /// Machine-readable output.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a group link. With --email Kisi emails it (to Kisi's own page); without, this prints the
    /// portier URL and writes its QR code (and, with --eml, an email draft).
    Create {
        /// Who the link is for (Kisi's event log shows it).
        #[arg(long)]
        name: String,
        /// The Kisi group whose doors the link opens.
        #[arg(long = "group", value_name = "GROUP_ID")]
        group_id: u64,
        /// Let Kisi email the link to this address.
        #[arg(long)]
        email: Option<String>,
        /// Start of validity, ISO 8601 with offset (default: now).
        #[arg(long, value_name = "TIME")]
        valid_from: Option<String>,
        /// End of validity, ISO 8601 with offset.
        #[arg(long, value_name = "TIME")]
        valid_until: Option<String>,
        /// Create a link that never expires (Kisi advises against it).
        #[arg(long)]
        no_expiry: bool,
        /// Also issue a Kisi reader QR code: online or offline.
        #[arg(long = "qr", value_name = "TYPE")]
        qr_type: Option<String>,
        /// The portier site, e.g. https://doors.example.com (or PORTIER_SITE).
        #[arg(long, env = "PORTIER_SITE")]
        site: Option<String>,
        /// Where to write the QR code and draft.
        #[arg(long, default_value = ".")]
        out: PathBuf,
        /// Also write an email draft (.eml) with the link and its QR code.
        #[arg(long)]
        eml: bool,
        /// The draft's template (first line `Subject: …`; {{name}}, {{url}}, {{valid_until}}).
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
        /// Also write the link's secret to this file (readable by you only), for `doors` and
        /// `poster --secret-file`: it then never needs to be copied out of the URL or typed.
        #[arg(long, value_name = "FILE")]
        save_secret: Option<PathBuf>,
    },
    /// List a group's links.
    List {
        /// The Kisi group.
        #[arg(long = "group", value_name = "GROUP_ID")]
        group_id: u64,
    },
    /// Revoke (delete) a link: its secret stops working.
    Revoke {
        /// The link's id (from create or list).
        id: u64,
    },
    /// The doors a link opens, as the site shows them with --site-dir or --config: its names and
    /// notes, hidden doors left out (secret from KISI_LINK_SECRET or --secret-file).
    Doors {
        /// Read the link's secret from this file.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<PathBuf>,
        #[command(flatten)]
        site: SiteFiles,
    },
    /// Check a config.json exactly as the page will read it, before it is uploaded: every warning
    /// with its key. Exit status 0: every key is used; 1: some fall back to their default (listed);
    /// 2: the file cannot be read, or is not JSON (the page would show visitors "This page's
    /// settings can't be read" and send nothing).
    Check {
        /// The site's folder (its config.json is checked) or the file itself.
        #[arg(default_value = "config.json", value_name = "PATH")]
        path: PathBuf,
    },
    /// Print-ready posters, one page per door of a link (secret from KISI_LINK_SECRET or
    /// --secret-file): the door's name and the QR code that opens the page with that door first.
    /// A poster is a key: hang it only where everyone who can scan it may open the door.
    Poster {
        /// Read the link's secret from this file.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<PathBuf>,
        /// The portier site, e.g. https://doors.example.com (or PORTIER_SITE).
        #[arg(long, env = "PORTIER_SITE")]
        site: String,
        /// Only these doors (repeat the flag); all of the link's doors the site shows by default.
        #[arg(long = "door", value_name = "DOOR_ID")]
        doors: Vec<u64>,
        #[command(flatten)]
        site_files: SiteFiles,
        /// The language of the words on the poster.
        #[arg(long = "lang", default_value = "en")]
        language: String,
        /// a4 or letter.
        #[arg(long, default_value = "a4")]
        paper: String,
        /// Your logo on every page (.svg, .png, .jpg or .webp).
        #[arg(long, value_name = "FILE")]
        logo: Option<PathBuf>,
        /// The HTML file to write.
        #[arg(long, default_value = "posters.html")]
        out: PathBuf,
    },
}

/// Where the site's configuration is, for commands that show doors as the page does.
#[derive(clap::Args)]
struct SiteFiles {
    /// The site's folder (the bundle's site/, or the web root): its config.json names, notes and
    /// hides doors.
    #[arg(long, value_name = "DIR", conflicts_with = "config")]
    site_dir: Option<PathBuf>,
    /// The site's config.json itself.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Also list the doors the site hides (marked as hidden).
    #[arg(long)]
    include_hidden: bool,
}

impl SiteFiles {
    /// The site's configuration, if one was named; its warnings go to stderr, as the page puts them
    /// on the console.
    fn read(&self) -> Result<Option<domain::config::SiteConfig>, Failure> {
        let Some(path) = self.config.clone().or_else(|| self.site_dir.as_ref().map(|dir| dir.join("config.json")))
        else {
            return Ok(None);
        };
        let (config, warnings) = site::load(&path).map_err(Failure::Input)?;
        for warning in &warnings {
            eprintln!("portier-links: {}: {warning}", path.display());
        }
        Ok(Some(config))
    }

    /// The link's doors (Kisi's lock items) as the site shows them.
    fn doors(&self, locks: &[Value]) -> Result<Vec<SiteDoor>, Failure> {
        let doors: Vec<SiteDoor> = locks.iter().filter_map(SiteDoor::from_lock).collect();
        Ok(match self.read()? {
            Some(config) => site::shown_doors(&config, doors, self.include_hidden),
            None => doors,
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("portier-links: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Kisi(message)) => {
            eprintln!("portier-links: {message}");
            ExitCode::FAILURE
        }
        Err(Failure::Warned) => ExitCode::FAILURE,
    }
}

enum Failure {
    /// Nothing was sent: fix the command.
    Input(String),
    /// Kisi (or the connection) said no.
    Kisi(String),
    /// `check` found keys the page will not use (already listed).
    Warned,
}

fn kisi(e: links::api::KisiError) -> Failure {
    Failure::Kisi(e.0)
}

/// A credential from a file or an environment variable; never from a flag.
fn credential(file: Option<&Path>, variable: &str, what: &str) -> Result<String, Failure> {
    let value = match file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| Failure::Input(format!("cannot read {what} from {}: {e}", path.display())))?,
        None => std::env::var(variable).unwrap_or_default(),
    };
    let value = value.trim().to_owned();
    if value.is_empty() {
        return Err(Failure::Input(format!("no {what}: set {variable} or pass a file")));
    }
    Ok(value)
}

fn run(cli: &Cli) -> Result<(), Failure> {
    links::input::api(&cli.api).map_err(Failure::Input)?;
    let admin =
        || credential(cli.api_key_file.as_deref(), "KISI_API_KEY", "API key").map(|key| Kisi::admin(&cli.api, &key));
    match &cli.command {
        Command::Create {
            name,
            group_id,
            email,
            valid_from,
            valid_until,
            no_expiry,
            qr_type,
            site,
            out,
            eml,
            template,
            save_secret,
        } => {
            let typed = Typed {
                name,
                group_id: *group_id,
                email: email.as_deref(),
                valid_from: valid_from.as_deref(),
                valid_until: valid_until.as_deref(),
                no_expiry: *no_expiry,
                qr_type: qr_type.as_deref(),
            };
            let link = NewLink::check(typed, OffsetDateTime::now_utc()).map_err(Failure::Input)?;
            let site = site.as_deref().map(links::input::site).transpose().map_err(Failure::Input)?;
            if email.is_none() && site.is_none() {
                return Err(Failure::Input("--site (or PORTIER_SITE) is needed to form the visitor's URL, unless Kisi emails the link (--email)".into()));
            }
            let template = match template {
                Some(path) => std::fs::read_to_string(path)
                    .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?,
                None => share::DEFAULT_TEMPLATE.to_owned(),
            };
            let created = admin()?.create(&link).map_err(kisi)?;
            if let Some(path) = save_secret {
                let secret =
                    created["secret"].as_str().ok_or_else(|| Failure::Kisi("Kisi's answer has no secret".into()))?;
                write_private(path, format!("{secret}\n").as_bytes())
                    .map_err(|e| Failure::Input(format!("cannot write {}: {e}", path.display())))?;
            }
            create_output(cli.json, &link, &created, site.as_deref(), out, *eml, &template)
        }
        Command::List { group_id } => {
            let links = admin()?.list(*group_id).map_err(kisi)?;
            if cli.json {
                println!("{}", Value::Array(links));
            } else if links.is_empty() {
                println!("No links in group {group_id}.");
            } else {
                println!("{:>8}  {:<28} {:<26} {:<8}", "id", "name", "valid until", "enabled");
                for link in &links {
                    println!(
                        "{:>8}  {:<28} {:<26} {:<8}",
                        link["id"].as_u64().unwrap_or_default(),
                        link["name"].as_str().unwrap_or_default(),
                        link["valid_until"].as_str().unwrap_or("never"),
                        link["link_enabled"].as_bool().map_or("?", |e| if e { "yes" } else { "no" })
                    );
                }
            }
            Ok(())
        }
        Command::Revoke { id } => {
            admin()?.revoke(*id).map_err(kisi)?;
            if cli.json {
                println!("{}", json!({ "revoked": id }));
            } else {
                println!("Revoked link {id}: its secret no longer opens anything.");
            }
            Ok(())
        }
        Command::Doors { secret_file, site } => {
            let secret = credential(secret_file.as_deref(), "KISI_LINK_SECRET", "link secret")?;
            let doors = site.doors(&Kisi::link(&cli.api, &secret).doors().map_err(kisi)?)?;
            if cli.json {
                let doors: Vec<Value> = doors
                    .iter()
                    .map(
                        |d| json!({ "id": d.id, "name": d.name, "place": d.place, "note": d.note, "hidden": d.hidden }),
                    )
                    .collect();
                println!("{}", Value::Array(doors));
            } else {
                for door in &doors {
                    let note = door.note.as_deref().map(|n| format!("  — {n}")).unwrap_or_default();
                    let hidden = if door.hidden { "  [hidden on the page]" } else { "" };
                    println!(
                        "{:>8}  {}  ({}){note}{hidden}",
                        door.id,
                        door.name,
                        door.place.as_deref().unwrap_or("no place")
                    );
                }
                println!("{} door(s).", doors.len());
            }
            Ok(())
        }
        Command::Check { path } => check(cli.json, path),
        Command::Poster { secret_file, site, doors: wanted, site_files, language, paper, logo, out } => {
            let site = links::input::site(site).map_err(Failure::Input)?;
            let secret = credential(secret_file.as_deref(), "KISI_LINK_SECRET", "link secret")?;
            let paper = Paper::parse(paper).map_err(Failure::Input)?;
            poster::words(language).map_err(Failure::Input)?;
            let logo = logo.as_deref().map(Logo::read).transpose().map_err(Failure::Input)?;
            let locks = Kisi::link(&cli.api, &secret).doors().map_err(kisi)?;
            let listed = site_files.doors(&locks)?;
            let doors: Vec<SiteDoor> = if wanted.is_empty() {
                listed
            } else {
                let missing: Vec<&u64> = wanted.iter().filter(|id| !listed.iter().any(|d| d.id == **id)).collect();
                let opened: Vec<u64> = locks.iter().filter_map(|lock| lock["id"].as_u64()).collect();
                let (hidden, unknown): (Vec<&u64>, Vec<&u64>) = missing.into_iter().partition(|id| opened.contains(id));
                let list = |ids: &[&u64]| ids.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(", ");
                if !unknown.is_empty() {
                    return Err(Failure::Input(format!("this link does not open door(s) {}", list(&unknown))));
                }
                if !hidden.is_empty() {
                    return Err(Failure::Input(format!(
                        "the site hides door(s) {} (config.json): a poster would open a page without it; pass --include-hidden to print one anyway",
                        list(&hidden)
                    )));
                }
                let mut picked: Vec<SiteDoor> = Vec::new();
                for door in wanted.iter().filter_map(|id| listed.iter().find(|d| d.id == *id)) {
                    if !picked.contains(door) {
                        picked.push(door.clone());
                    }
                }
                picked
            };
            if doors.is_empty() {
                return Err(Failure::Kisi("this link opens no doors: there is nothing to print".into()));
            }
            let posters = Posters { site: &site, secret: &secret, doors: &doors, paper, language, logo: logo.as_ref() };
            let html = posters.html().map_err(Failure::Kisi)?;
            write_private(out, html.as_bytes())
                .map_err(|e| Failure::Input(format!("cannot write {}: {e}", out.display())))?;
            if cli.json {
                println!("{}", json!({ "posters": out, "doors": doors.iter().map(|d| d.id).collect::<Vec<_>>() }));
            } else {
                println!("Wrote {} poster(s) to {}: open it in a browser and print.", doors.len(), out.display());
                println!(
                    "Each poster is a key to its link: hang it only where everyone who can scan it may open the door, and revoke the link if one goes missing."
                );
                println!("{} is a key too (its QR codes hold the secret): delete it once printed.", out.display());
            }
            Ok(())
        }
    }
}

/// Writes a file that holds a secret: readable by its owner only, where the system has owners.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // The mode above applies only to a new file: an older one (a posters.html of last week, 0644)
    // is narrowed before the secret goes in.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    file.write_all(bytes)
}

fn create_output(
    as_json: bool,
    link: &NewLink,
    created: &Value,
    site: Option<&str>,
    out: &Path,
    eml: bool,
    template: &str,
) -> Result<(), Failure> {
    let id = created["id"].as_u64().unwrap_or_default();
    let mut report = json!({ "id": id, "name": link.name, "valid_from": created["valid_from"], "valid_until": created["valid_until"] });
    let mut lines = vec![format!("Created link {id} for {:?}.", link.name)];
    if let Some(email) = &link.email {
        report["emailed_to"] = json!(email);
        lines.push(format!("Kisi is emailing it to {email} (that email links to Kisi's own page)."));
    }
    if let Some(site) = site {
        let secret = created["secret"].as_str().ok_or_else(|| Failure::Kisi("Kisi's answer has no secret".into()))?;
        // The visitor's page shows until when the link works (`&until=`, UTC); Kisi still decides.
        let until = link.valid_until.and_then(|t| t.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok());
        let url = share::visitor_url(site, secret, until.as_deref());
        let slug: String =
            link.name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
        let stem = out.join(format!("link-{id}-{}", slug.trim_matches('-')));
        // The QR codes and the draft hold the secret, like posters.html.
        let write = |path: PathBuf, bytes: &[u8]| {
            write_private(&path, bytes).map(|()| path).map_err(|e| Failure::Input(format!("cannot write: {e}")))
        };
        std::fs::create_dir_all(out).map_err(|e| Failure::Input(format!("cannot create {}: {e}", out.display())))?;
        let png = share::qr_png(&url).map_err(Failure::Kisi)?;
        let svg_path = write(stem.with_extension("svg"), share::qr_svg(&url).map_err(Failure::Kisi)?.as_bytes())?;
        let png_path = write(stem.with_extension("png"), &png)?;
        report["secret"] = json!(secret);
        report["visitor_url"] = json!(url);
        report["qr_svg"] = json!(svg_path);
        report["qr_png"] = json!(png_path);
        // On its own line for `doors` and `poster` (KISI_LINK_SECRET, --secret-file).
        lines.push(format!("Secret:      {secret}"));
        lines.push(format!("Visitor URL: {url}"));
        lines.push(format!("QR code:     {} and {}", svg_path.display(), png_path.display()));
        if eml {
            let until = link.valid_until.map_or_else(|| "it is revoked".to_owned(), share::for_people);
            let filled = share::fill(template, &link.name, &url, &until);
            let draft = share::email_draft(&filled, link.email.as_deref().unwrap_or_default(), &url, &png);
            let eml_path = write(stem.with_extension("eml"), draft.as_bytes())?;
            report["eml"] = json!(eml_path);
            lines.push(format!("Email draft: {}", eml_path.display()));
        }
    }
    if as_json {
        println!("{report}");
    } else {
        println!("{}", lines.join("\n"));
    }
    Ok(())
}

/// `check`: `config.json` read as the page will read it.
fn check(as_json: bool, path: &Path) -> Result<(), Failure> {
    let file = if path.is_dir() { path.join("config.json") } else { path.to_owned() };
    let text =
        std::fs::read_to_string(&file).map_err(|e| Failure::Input(format!("cannot read {}: {e}", file.display())))?;
    let (config, warnings) = match site::read(&text) {
        Ok(read) => read,
        Err(broken) => {
            if as_json {
                println!(
                    "{}",
                    json!({ "file": file, "json": false, "line": broken.line, "column": broken.column, "reason": broken.reason })
                );
            }
            // The visitor's words, from the page's own English texts.
            let english: Value = serde_json::from_str(include_str!("../../i18n/en.json")).unwrap_or_default();
            let title = english["problem.site_settings.title"].as_str().unwrap_or_default();
            return Err(Failure::Input(format!(
                "{} is not valid JSON, at {broken}. The page ignores the whole file: visitors see \"{title}\" and nothing is sent to Kisi.",
                file.display()
            )));
        }
    };
    if as_json {
        println!("{}", json!({ "file": file, "json": true, "warnings": warnings, "api_base": config.api_base }));
    } else if warnings.is_empty() {
        println!("{}: the page reads every key. It sends link secrets to {}.", file.display(), config.api_base);
    } else {
        println!(
            "{}: the page reads it with {} warning(s); each key named falls back as it says:",
            file.display(),
            warnings.len()
        );
        for warning in &warnings {
            println!("  {warning}");
        }
        println!("It sends link secrets to {}.", config.api_base);
    }
    if warnings.is_empty() { Ok(()) } else { Err(Failure::Warned) }
}
