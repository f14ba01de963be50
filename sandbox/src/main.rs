//! `cargo run -p sandbox -- [--port N] [--latency-ms N] [--slow-ms N]`: runs the Kisi sandbox
//! until Ctrl-C, printing the scenario secrets.

use std::process::ExitCode;
use std::time::Duration;

use sandbox::{KisiSandbox, SCENARIOS, SandboxOptions};

const USAGE: &str = "usage: sandbox [--port N] [--latency-ms N] [--slow-ms N]";

fn parse_args() -> Result<SandboxOptions, String> {
    let mut options = SandboxOptions { port: 8787, ..SandboxOptions::default() };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || -> Result<u64, String> {
            let raw = args.next().ok_or(format!("{flag} needs a value"))?;
            raw.parse().map_err(|_| format!("{flag}: {raw:?} is not a number"))
        };
        match flag.as_str() {
            "--port" => options.port = u16::try_from(value()?).map_err(|_| "--port: out of range".to_owned())?,
            "--latency-ms" => options.latency = Duration::from_millis(value()?),
            "--slow-ms" => options.slow_latency = Duration::from_millis(value()?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let kisi = match KisiSandbox::start(options).await {
        Ok(kisi) => kisi,
        Err(e) => {
            eprintln!("sandbox: cannot listen on 127.0.0.1:{}: {e}", options.port);
            return ExitCode::FAILURE;
        }
    };
    println!("Kisi sandbox on {}  (set \"api_base\" in config.json to this)", kisi.url());
    println!("Scenario secrets:");
    for (secret, _, what) in SCENARIOS {
        println!("  {secret:<16} {what}");
    }
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
