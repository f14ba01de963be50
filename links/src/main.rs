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
use links::poster::{self, Logo, Paper, PosterDoor, Posters};
use links::share;
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Parser)]
#[command(name = "portier-links", version, about = "Create, list and revoke Kisi group links for a portier site")]
struct Cli {
    /// Kisi API base URL.
    #[arg(long, global = true, default_value = DEFAULT_API)]
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
    /// The doors a link opens (secret from KISI_LINK_SECRET or --secret-file).
    Doors {
        /// Read the link's secret from this file.
        #[arg(long, value_name = "FILE")]
        secret_file: Option<PathBuf>,
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
        /// Only these doors (repeat the flag); all of the link's doors by default.
        #[arg(long = "door", value_name = "DOOR_ID")]
        doors: Vec<u64>,
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
    }
}

enum Failure {
    /// Nothing was sent: fix the command.
    Input(String),
    /// Kisi (or the connection) said no.
    Kisi(String),
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
        Command::Doors { secret_file } => {
            let secret = credential(secret_file.as_deref(), "KISI_LINK_SECRET", "link secret")?;
            let doors = Kisi::link(&cli.api, &secret).doors().map_err(kisi)?;
            if cli.json {
                println!("{}", Value::Array(doors));
            } else {
                for door in &doors {
                    println!(
                        "{:>8}  {}  ({})",
                        door["id"].as_u64().unwrap_or_default(),
                        door["name"].as_str().unwrap_or_default(),
                        door["place"]["name"].as_str().unwrap_or("no place")
                    );
                }
                println!("{} door(s).", doors.len());
            }
            Ok(())
        }
        Command::Poster { secret_file, site, doors: wanted, language, paper, logo, out } => {
            let site = links::input::site(site).map_err(Failure::Input)?;
            let secret = credential(secret_file.as_deref(), "KISI_LINK_SECRET", "link secret")?;
            let paper = Paper::parse(paper).map_err(Failure::Input)?;
            poster::words(language).map_err(Failure::Input)?;
            let logo = logo.as_deref().map(Logo::read).transpose().map_err(Failure::Input)?;
            let listed: Vec<PosterDoor> =
                Kisi::link(&cli.api, &secret).doors().map_err(kisi)?.iter().filter_map(PosterDoor::from_lock).collect();
            let doors: Vec<PosterDoor> = if wanted.is_empty() {
                listed
            } else {
                let missing: Vec<String> =
                    wanted.iter().filter(|id| !listed.iter().any(|d| d.id == **id)).map(u64::to_string).collect();
                if !missing.is_empty() {
                    return Err(Failure::Input(format!("this link does not open door(s) {}", missing.join(", "))));
                }
                let mut picked: Vec<PosterDoor> = Vec::new();
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
        report["visitor_url"] = json!(url);
        report["qr_svg"] = json!(svg_path);
        report["qr_png"] = json!(png_path);
        lines.push(format!("Visitor URL: {url}"));
        lines.push(format!("QR code:     {} and {}", svg_path.display(), png_path.display()));
        if eml {
            let until =
                link.valid_until.and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_else(|| "it is revoked".to_owned());
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
