//! Processes the tests start (browsers, their drivers, Xvfb, nginx), each in a process group of its
//! own, so that stopping one stops everything it started: a driver's browser, nginx's workers.

use std::process::{Child, Command};

/// A process leading its own group; the whole group is killed when this is dropped.
pub struct ProcessGroup(Child);

impl ProcessGroup {
    /// Starts `command` as the leader of a new process group.
    pub fn spawn(command: &mut Command) -> std::io::Result<Self> {
        use std::os::unix::process::CommandExt;
        command.process_group(0).spawn().map(ProcessGroup)
    }

    /// The group's id (its leader's pid).
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// The leader, for its pipes and its exit status.
    pub fn child(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        // The minus sign addresses the whole group: the leader and everything it started.
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.wait();
    }
}

/// The processes of group `group` that still run (zombies not counted: they have ended, and only
/// wait for a parent to collect them), read from `/proc`.
pub fn running_in_group(group: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // `/proc/<pid>/stat`: "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                let fields: Vec<&str> =
                    stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("").split_whitespace().collect();
                fields.first().is_some_and(|state| *state != "Z") && fields.get(2) == Some(&group.to_string().as_str())
            })
        })
        .collect()
}

/// Waits (at most `limit`) until no process of `group` runs — a killed process ends a moment after
/// the signal, and only the group's leader can be waited for — and returns those still running.
pub fn survivors_of(group: u32, limit: std::time::Duration) -> Vec<u32> {
    let started = std::time::Instant::now();
    loop {
        let running = running_in_group(group);
        if running.is_empty() || started.elapsed() >= limit {
            return running;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
