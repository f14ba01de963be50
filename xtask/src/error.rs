//! What can go wrong in a chore, in the project's terms: a file that cannot be read or written, a
//! tool that cannot run or exits unsuccessfully, a JSON file that does not parse, or a check's
//! verdict (a size over budget, a broken layer, a tag without notes).
//!
//! Each variant carries what the message needs (the path, the tool, its status), so a call site
//! names only what it was doing: `.map_err(Error::read(&path))`.

use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;

/// A chore's result: [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why a chore failed; its `Display` is the line `cargo xtask` prints.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read, written, created (or an icon drawn into it).
    #[error("{action} {}: {source}", .path.display())]
    File {
        /// What was being done to it: `"read"`, `"write"`, `"create"`, `"draw"`.
        action: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Why, as the system said it.
        source: io::Error,
    },
    /// A file could not be copied (either end may be the cause, so both are named).
    #[error("copy {} to {}: {source}", .from.display(), .to.display())]
    Copy {
        /// The file copied.
        from: PathBuf,
        /// Where it was to go.
        to: PathBuf,
        /// Why, as the system said it.
        source: io::Error,
    },
    /// A tool, server or runtime could not be started, or broke off while it ran.
    #[error("cannot run {program}: {source}")]
    Run {
        /// The tool as the reader knows it: a command line in backticks, `esbuild (<path>)`, `the
        /// Kisi sandbox`.
        program: String,
        /// Why, as the system said it.
        source: io::Error,
    },
    /// A tool ran and exited unsuccessfully.
    #[error("{program} failed ({status}){}", stderr_suffix(.stderr))]
    Exit {
        /// The tool, named as in [`Error::Run`].
        program: String,
        /// How it exited.
        status: ExitStatus,
        /// What it wrote to stderr, where it was captured (empty when it went to the terminal).
        stderr: String,
    },
    /// JSON that could not be read or written.
    #[error("{what} as JSON: {source}")]
    Json {
        /// What was being done: `read <path>`, `write the manifest`.
        what: String,
        /// Why, as serde_json said it.
        source: serde_json::Error,
    },
    /// A check's verdict, or output that is not what the build expects (a finding, not a failure to
    /// do something).
    #[error("{0}")]
    Check(String),
    /// `source`, inside a larger piece of work (a step of `cargo xtask test`, the operator guide's
    /// screenshots) that the message names first.
    #[error("{what}: {source}")]
    Context {
        /// The larger piece of work.
        what: String,
        /// What went wrong inside it.
        source: Box<Error>,
    },
}

/// `: <stderr>` when a tool's stderr was captured and said something; nothing otherwise.
fn stderr_suffix(stderr: &str) -> String {
    if stderr.is_empty() { String::new() } else { format!(": {stderr}") }
}

// Constructors for `map_err`: each takes what the message names and returns the mapping, so a call
// site reads `.map_err(Error::read(&path))`. The path is borrowed until an error actually happens.
impl Error {
    /// `action` on `path` failed.
    pub fn file(action: &'static str, path: &Path) -> impl FnOnce(io::Error) -> Error {
        move |source| Error::File { action, path: path.to_owned(), source }
    }

    /// Reading `path` (a file or a folder's entries) failed.
    pub fn read(path: &Path) -> impl FnOnce(io::Error) -> Error {
        Error::file("read", path)
    }

    /// Writing `path` failed.
    pub fn write(path: &Path) -> impl FnOnce(io::Error) -> Error {
        Error::file("write", path)
    }

    /// Creating the folder `path` failed.
    pub fn create(path: &Path) -> impl FnOnce(io::Error) -> Error {
        Error::file("create", path)
    }

    /// Copying `from` to `to` failed.
    pub fn copy<'a>(from: &'a Path, to: &'a Path) -> impl FnOnce(io::Error) -> Error {
        move |source| Error::Copy { from: from.to_owned(), to: to.to_owned(), source }
    }

    /// `program` could not be started or broke off.
    pub fn run(program: impl Into<String>) -> impl FnOnce(io::Error) -> Error {
        let program = program.into();
        move |source| Error::Run { program, source }
    }

    /// `program` exited with `status`, having written `stderr` (empty if it was not captured).
    pub fn exit(program: impl Into<String>, status: ExitStatus, stderr: &[u8]) -> Error {
        let stderr = String::from_utf8_lossy(stderr).trim_end().to_owned();
        Error::Exit { program: program.into(), status, stderr }
    }

    /// Reading or writing `what` as JSON failed.
    pub fn json(what: impl Into<String>) -> impl FnOnce(serde_json::Error) -> Error {
        let what = what.into();
        move |source| Error::Json { what, source }
    }

    /// A check's verdict.
    pub fn check(message: impl Into<String>) -> Error {
        Error::Check(message.into())
    }

    /// This error, as part of `what`.
    pub fn context(self, what: impl Into<String>) -> Error {
        Error::Context { what: what.into(), source: Box::new(self) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_error_names_the_action_and_the_path() {
        let error = Error::read(Path::new("dist/index.html"))(io::Error::other("no such file"));
        assert_eq!(error.to_string(), "read dist/index.html: no such file");
    }

    #[test]
    fn a_failed_tool_shows_its_status_and_what_it_said() {
        // Exit code 1, as a wait status holds it.
        let status = std::os::unix::process::ExitStatusExt::from_raw(1 << 8);
        let quiet = Error::exit("`cargo fmt --all --check`", status, b"");
        assert_eq!(quiet.to_string(), format!("`cargo fmt --all --check` failed ({status})"));
        let loud = Error::exit("esbuild on portier-00ff.js", status, b"bad token\n");
        assert_eq!(loud.to_string(), format!("esbuild on portier-00ff.js failed ({status}): bad token"));
    }

    #[test]
    fn context_comes_first() {
        let error = Error::check("3 problems in the module layers").context("module layers and cycles (src/)");
        assert_eq!(error.to_string(), "module layers and cycles (src/): 3 problems in the module layers");
    }
}
