//! The app's module layers, checked: `cargo xtask test` fails on a module cycle in `src/` or on
//! an import against the layers' direction (see `ARCHITECTURE.md`), and on a browser crate in the
//! domain's dependency list.
//!
//! The domain is a crate of its own (`domain/`), so the compiler already keeps it from importing
//! the app; what is left to check here is what the compiler cannot see: the direction of the app's
//! own modules, and that the domain's manifest names no browser crate.
//!
//! Every file of `src/` is a module; a path in its code (`crate::a::b::Item`, `super::c`, a
//! `use` tree) depends on the file of the deepest module the path names. Comments do not count
//! (an intra-doc link is not a dependency), nor does a file's test module (from its
//! `#[cfg(test)]` on). `mod x;` declares, it does not depend; a `pub use` re-export does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The app's layers, lowest first: each may import only those up to itself (and the domain crate).
const LAYERS: [&str; 3] = ["services", "boot", "view"];

/// Crates the domain may not depend on: it is the part that runs, and is tested, without a browser
/// (and the link tool builds it for the host).
const NOT_IN_DOMAIN: [&str; 8] = [
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "leptos",
    "gloo-net",
    "serde-wasm-bindgen",
    "portier",
];

/// Every browser crate (or the app) that `manifest`, the domain's `Cargo.toml`, depends on, as
/// problems; dev-dependencies are the tests' own.
pub fn domain_dependencies(manifest: &str) -> Vec<String> {
    let mut section = "";
    let mut problems = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line;
            continue;
        }
        let name = line.split(['=', '.']).next().unwrap_or_default().trim().trim_matches('"');
        let shipped =
            section == "[dependencies]" || section.starts_with("[target.") && section.ends_with(".dependencies]");
        if shipped && NOT_IN_DOMAIN.contains(&name) {
            problems.push(format!("domain/Cargo.toml depends on {name}: the domain stays free of the browser"));
        }
    }
    problems
}

/// A module: its path below the crate (`["services", "kisi"]`) and its file.
#[derive(Clone, Debug)]
struct Module {
    path: Vec<String>,
    file: PathBuf,
}

/// The dependency graph of `src/`: module path → modules it depends on.
pub struct Graph {
    modules: BTreeMap<Vec<String>, Module>,
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

impl Graph {
    /// Reads every module of `src`.
    pub fn read(src: &Path) -> Result<Graph> {
        let mut modules = BTreeMap::new();
        collect(src, src, &mut modules)?;
        let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
        for module in modules.values() {
            let file = src.join(module.file.strip_prefix("src").unwrap_or(&module.file));
            let text = std::fs::read_to_string(&file).map_err(Error::read(&file))?;
            let code = without_comments(text.split("#[cfg(test)]").next().unwrap_or_default());
            let mut depends = BTreeSet::new();
            for path in paths(&code) {
                let absolute = match path.first().map(String::as_str) {
                    // The domain crate, re-exported at the root (`pub use ::domain;`): below every layer.
                    Some("crate") if path.get(1).map(String::as_str) == Some("domain") => continue,
                    Some("crate") => path[1..].to_vec(),
                    Some("super") => {
                        // Each leading `super` is one module up from this file's own.
                        let mut base = module.path.clone();
                        let mut rest = &path[..];
                        while rest.first().map(String::as_str) == Some("super") {
                            base.pop();
                            rest = &rest[1..];
                        }
                        base.extend(rest.iter().cloned());
                        base
                    }
                    Some("self") => [&module.path[..], &path[1..]].concat(),
                    // A path from a child module of this one (`use door_list::DoorList;` in a `mod.rs`).
                    Some(first) if modules.contains_key(&[&module.path[..], &[first.to_owned()]].concat()) => {
                        [&module.path[..], &path[..]].concat()
                    }
                    _ => continue,
                };
                if let Some(target) = deepest(&modules, &absolute)
                    && target != module.path
                {
                    depends.insert(target);
                }
            }
            edges.insert(module.path.clone(), depends);
        }
        Ok(Graph { modules, edges })
    }

    /// Every cycle (as its files), and every import against the layers.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        for cycle in self.cycles() {
            let files: Vec<String> = cycle.iter().map(|m| self.file(m)).collect();
            problems.push(format!("module cycle: {}", files.join(" -> ")));
        }
        for (from, targets) in &self.edges {
            let Some(from_layer) = layer(from) else { continue };
            for to in targets {
                if let Some(to_layer) = layer(to)
                    && to_layer > from_layer
                {
                    problems.push(format!(
                        "{} ({}) imports {} ({}): a layer imports only the layers below it",
                        self.file(from),
                        LAYERS[from_layer],
                        self.file(to),
                        LAYERS[to_layer]
                    ));
                }
            }
        }
        problems
    }

    /// Modules, cycles, and lines per layer, for the report.
    pub fn summary(&self, src: &Path) -> String {
        let mut lines: BTreeMap<&str, usize> = BTreeMap::new();
        for module in self.modules.values() {
            let file = src.join(module.file.strip_prefix("src").unwrap_or(&module.file));
            let count = std::fs::read_to_string(file).map(|t| t.lines().count()).unwrap_or(0);
            *lines.entry(layer(&module.path).map_or("crate root", |l| LAYERS[l])).or_default() += count;
        }
        let per_layer: Vec<String> = lines.iter().map(|(layer, n)| format!("{layer} {n}")).collect();
        format!("{} modules, {} cycles; lines: {}", self.modules.len(), self.cycles().len(), per_layer.join(", "))
    }

    fn file(&self, module: &[String]) -> String {
        self.modules.get(module).map_or_else(|| module.join("::"), |m| m.file.display().to_string())
    }

    /// Strongly connected components with more than one module (Tarjan's algorithm).
    fn cycles(&self) -> Vec<Vec<Vec<String>>> {
        struct State<'g> {
            graph: &'g Graph,
            index: BTreeMap<&'g Vec<String>, usize>,
            low: BTreeMap<&'g Vec<String>, usize>,
            stack: Vec<&'g Vec<String>>,
            on_stack: BTreeSet<&'g Vec<String>>,
            found: Vec<Vec<Vec<String>>>,
        }
        fn visit<'g>(state: &mut State<'g>, node: &'g Vec<String>) {
            let next = state.index.len();
            state.index.insert(node, next);
            state.low.insert(node, next);
            state.stack.push(node);
            state.on_stack.insert(node);
            for target in state.graph.edges.get(node).into_iter().flatten() {
                if !state.index.contains_key(target) {
                    visit(state, target);
                    let low = state.low[target].min(state.low[node]);
                    state.low.insert(node, low);
                } else if state.on_stack.contains(target) {
                    let low = state.index[target].min(state.low[node]);
                    state.low.insert(node, low);
                }
            }
            if state.low[node] == state.index[node] {
                let mut component = Vec::new();
                while let Some(member) = state.stack.pop() {
                    state.on_stack.remove(member);
                    component.push(member.clone());
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.reverse();
                    state.found.push(component);
                }
            }
        }
        let mut state = State {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for node in self.edges.keys() {
            if !state.index.contains_key(node) {
                visit(&mut state, node);
            }
        }
        state.found
    }
}

/// The layer of a module, by its first segment (`None` for the crate root).
fn layer(module: &[String]) -> Option<usize> {
    LAYERS.iter().position(|layer| module.first().map(String::as_str) == Some(*layer))
}

/// Every `.rs` file below `dir` as a module (`main.rs`, the binary, is not one of the library's).
fn collect(root: &Path, dir: &Path, modules: &mut BTreeMap<Vec<String>, Module>) -> Result<()> {
    let mut entries: Vec<PathBuf> =
        std::fs::read_dir(dir).map_err(Error::read(dir))?.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(root, &entry, modules)?;
        } else if entry.extension().is_some_and(|e| e == "rs") {
            let relative = entry
                .strip_prefix(root)
                .map_err(|_| Error::check(format!("{} is not below {}", entry.display(), root.display())))?;
            let mut path: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
            let last = path.pop().unwrap_or_default();
            match last.as_str() {
                "main.rs" if path.is_empty() => continue,
                "lib.rs" if path.is_empty() => {}
                "mod.rs" => {}
                file => path.push(file.trim_end_matches(".rs").to_owned()),
            }
            modules.insert(path.clone(), Module { path, file: Path::new("src").join(relative) });
        }
    }
    Ok(())
}

/// The deepest module `path` names (a path names items below a module too).
fn deepest(modules: &BTreeMap<Vec<String>, Module>, path: &[String]) -> Option<Vec<String>> {
    (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|prefix| modules.contains_key(prefix))
}

/// `text` without `//` comments (doc comments included) and without string literals' contents.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut previous = ' ';
        let mut kept = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if in_string {
                if c == '"' && previous != '\\' {
                    in_string = false;
                    kept.push('"');
                }
            } else if c == '"' {
                in_string = true;
                kept.push('"');
            } else if c == '/' && chars.peek() == Some(&'/') {
                break;
            } else {
                kept.push(c);
            }
            previous = if previous == '\\' && c == '\\' { ' ' } else { c };
        }
        out.push_str(&kept);
        out.push('\n');
    }
    out
}

/// Every path in `code` (`a::b`, `crate::a::b`, `super::c`), `use` trees expanded
/// (`crate::a::{b, c::d}` is `crate::a::b` and `crate::a::c::d`).
fn paths(code: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut read_up_to = 0;
    for (at, _) in code.match_indices("::") {
        // The start of the identifier before the first `::` of a path not already read.
        let start = code[..at].rfind(|c: char| !word(c)).map_or(0, |i| i + 1);
        if start == at || start < read_up_to || code[..start].ends_with(':') {
            continue;
        }
        let mut rest = &code[start..];
        tree(&mut rest, Vec::new(), &mut found);
        read_up_to = code.len() - rest.len();
    }
    found
}

/// Reads one use tree (or plain path) from the front of `rest`, adding each full path to `found`.
fn tree(rest: &mut &str, mut prefix: Vec<String>, found: &mut Vec<Vec<String>>) {
    loop {
        *rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('{') {
            *rest = inner;
            loop {
                tree(rest, prefix.clone(), found);
                *rest = rest.trim_start();
                match rest.strip_prefix(',') {
                    Some(after) => *rest = after,
                    None => {
                        *rest = rest.strip_prefix('}').unwrap_or(rest);
                        return;
                    }
                }
            }
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let ident = &rest[..end];
        if ident.is_empty() {
            found.push(prefix);
            return;
        }
        *rest = &rest[end..];
        if ident != "self" {
            prefix.push(ident.to_owned());
        }
        match rest.trim_start().strip_prefix("::") {
            Some(after) => *rest = after,
            None => {
                found.push(prefix);
                return;
            }
        }
    }
}

/// The app's module graph: fails on any cycle in `src/` or import against the layers, and on a
/// browser crate in the domain's manifest.
pub fn check(root: &Path) -> Result<()> {
    let graph = Graph::read(&root.join("src"))?;
    println!("src/: {}", graph.summary(&root.join("src")));
    let manifest = root.join("domain/Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest).map_err(Error::read(&manifest))?;
    let mut problems = graph.problems();
    problems.extend(domain_dependencies(&manifest));
    for problem in &problems {
        eprintln!("  {problem}");
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::check(format!("{} problems in the module layers", problems.len())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_trees_expand() {
        let code = "use crate::a::{b, c::{d, e}, self};\nlet x = crate::f::G::new(); super::h::I;";
        let found = paths(code);
        let shown: Vec<String> = found.iter().map(|p| p.join("::")).collect();
        assert_eq!(
            shown,
            ["crate::a::b", "crate::a::c::d", "crate::a::c::e", "crate::a", "crate::f::G::new", "super::h::I"]
        );
        assert_eq!(paths("pub use door_list::DoorList;"), [vec!["door_list".to_owned(), "DoorList".to_owned()]]);
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let code = without_comments("let a = \"crate::x\"; // crate::y\n/// [`crate::z`]\nuse crate::w;");
        assert_eq!(paths(&code).iter().map(|p| p.join("::")).collect::<Vec<_>>(), ["crate::w"]);
    }

    /// The check fails on a cycle and on an import against the layers (shown on a small tree).
    #[test]
    fn a_cycle_and_an_upward_import_are_found() {
        let dir = std::env::temp_dir().join(format!("portier-layers-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (file, text) in [
            // The root depends on the view, as the real one does: a path into the domain crate must
            // not count as one into the root, or every module would be in a cycle with it.
            ("lib.rs", "pub use ::domain; pub mod services; pub mod view; fn run() { view::V; }"),
            ("services/mod.rs", "pub mod a; pub mod b; pub mod c; pub mod d; pub use a::A;"),
            ("services/a.rs", "use crate::services::b::B; use crate::domain::door::Door; pub struct A;"),
            ("services/b.rs", "use super::a::A; use crate::view::V; pub struct B;"),
            ("services/c.rs", "use super::super::view::V; use super::d::D;"),
            ("services/d.rs", "use super::c::C;"),
            ("view/mod.rs", "use crate::services::a::A; use crate::domain::door::Door; pub struct V;"),
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let graph = Graph::read(&dir).unwrap();
        let problems = graph.problems();
        assert_eq!(problems.len(), 4, "{problems:#?}");
        let cycles: Vec<&String> = problems.iter().filter(|p| p.starts_with("module cycle:")).collect();
        assert!(cycles.iter().any(|c| c.contains("services/a.rs") && c.contains("services/b.rs")), "{problems:#?}");
        assert!(cycles.iter().all(|c| !c.contains("lib.rs")), "the domain is not the root: {problems:#?}");
        assert!(
            cycles.iter().any(|c| c.contains("services/c.rs") && c.contains("services/d.rs")),
            "super:: {problems:#?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("services/b.rs (services) imports") && p.contains("view/mod.rs (view)"))
        );
        assert!(
            problems.iter().any(|p| p.contains("services/c.rs (services) imports") && p.contains("view/mod.rs (view)"))
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_browser_crate_in_the_domains_manifest_is_found() {
        let manifest = "[package]\nname = \"domain\"\n\n[dependencies]\nserde = \"1\"\nweb-sys = { version = \"0.3\" }\n\n[target.'cfg(target_arch = \"wasm32\")'.dependencies]\nleptos.version = \"0.8\"\n\n[dev-dependencies]\nwasm-bindgen = \"0.2\"\n";
        let problems = domain_dependencies(manifest);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("web-sys") && problems[1].contains("leptos"), "{problems:#?}");
        let real = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../domain/Cargo.toml")).unwrap();
        assert_eq!(domain_dependencies(&real), Vec::<String>::new());
    }
}
