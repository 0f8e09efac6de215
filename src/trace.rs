//! Where a build's time and memory go, for developers: with `FINDINGS_TRACE` set, each traced
//! point prints the time since the first one, the process's CPU time so far (user and system)
//! and its resident memory, on standard error. `--verbose` gives the stages' times; this finds
//! which step inside a stage grew the memory or ran on one core. Linux only (it reads /proc);
//! elsewhere the CPU and memory columns are 0.

use std::sync::OnceLock;
use std::time::Instant;

/// Print one trace line named `what`, if `FINDINGS_TRACE` is set.
pub fn point(what: &str) {
    static ON: OnceLock<bool> = OnceLock::new();
    static START: OnceLock<Instant> = OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("FINDINGS_TRACE").is_some()) {
        return;
    }
    let ms = START.get_or_init(Instant::now).elapsed().as_millis();
    let (user, system) = cpu_ms();
    eprintln!(
        "trace {ms:>7} ms  cpu {user:>7} + {system:>6} ms  rss {:>6} MB  {what}",
        resident_bytes() / 1_000_000
    );
}

/// User and system CPU time so far, from /proc/self/stat.
fn cpu_ms() -> (u64, u64) {
    cpu_ms_of(&std::fs::read_to_string("/proc/self/stat").unwrap_or_default())
}

/// User and system CPU time in a /proc/<pid>/stat line: fields 14 and 15, in clock ticks of
/// 10 ms on Linux. The command name may hold spaces and brackets, so the fields are counted from
/// its last closing bracket.
fn cpu_ms_of(stat: &str) -> (u64, u64) {
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    (ticks(11).unwrap_or(0) * 10, ticks(12).unwrap_or(0) * 10)
}

/// Resident memory now, from /proc/self/statm (in pages of 4 KiB).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_times_are_read_after_a_command_name_with_spaces_and_brackets() {
        let stat = "4242 (my (odd) prog) R 1 2 3 4 5 6 7 8 9 10 123 45 0 0 20 0 1 0";
        assert_eq!(cpu_ms_of(stat), (1230, 450));
        assert_eq!(cpu_ms_of("garbage"), (0, 0));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_has_memory_and_a_readable_stat() {
        assert!(resident_bytes() > 0);
        assert!(std::fs::read_to_string("/proc/self/stat").is_ok_and(|s| s.contains(')')));
    }
}
