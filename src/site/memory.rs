//! Which pages the kernel backs the build's memory with.
//!
//! The allocator asks for 2 MiB pages (transparent huge pages), which pay in a full build of a
//! large archive: gigabytes are touched densely, with a five-hundredth of the page faults. A
//! rebuild after a few changes touches a few hundred megabytes once, sparsely, and each 2 MiB
//! page is zeroed whole on its first touch. On a virtual machine that hands free memory back to
//! its host (free page reporting, usual for cloud machines), whole free 2 MiB blocks are exactly
//! what was handed back, so each must come from the host again: at 1,000 reports a rebuild a
//! few seconds after the last build spent more than twice its user time zeroing such pages,
//! and took 0.60 s where it takes 0.35 s with 4 KiB pages, which come from memory the machine
//! still holds. Straight after another build, while the freed 2 MiB pages are still held, small
//! pages cost a little (0.27 s against 0.34 s): there are 512 times the faults.
//!
//! Full builds keep huge pages, as do machines that hand nothing back to a host. Touching 1 GB
//! of fresh memory here took 2.7–3.1 s in huge pages and 0.55 s in small ones after a pause, so a
//! full build of 10,000 reports after a pause took 36.7–37.9 s in small pages against 39.5–42.2 s.
//! But right after another process freed gigabytes (as in the benchmark harness, after Hugo) it
//! took 36.2–40.8 s in huge pages against 39.5–43.7 s in small ones, with less user time: a
//! dense 2 GB working set misses the address cache far less in huge pages. Small pages for
//! every build made two harness runs at 10,000 reports slower than any before.

/// Builds holding small pages (several may run at once in one process, as in tests), and the
/// setting from before the first of them.
static HOLDERS: std::sync::Mutex<(usize, Option<bool>)> = std::sync::Mutex::new((0, None));

/// Small pages for this process while any guard lives; the earlier setting comes back when the
/// last is dropped.
pub struct SmallPages(());

impl SmallPages {
    /// Ask for 4 KiB pages from now on. Memory already touched keeps its pages.
    pub fn begin() -> SmallPages {
        let mut holders = HOLDERS.lock().unwrap_or_else(|e| e.into_inner());
        if holders.0 == 0 {
            holders.1 = huge_pages_disabled();
            if holders.1 == Some(false) {
                set_huge_pages_disabled(true);
            }
        }
        holders.0 += 1;
        SmallPages(())
    }
}

impl Drop for SmallPages {
    fn drop(&mut self) {
        let mut holders = HOLDERS.lock().unwrap_or_else(|e| e.into_inner());
        holders.0 -= 1;
        if holders.0 == 0 && holders.1 == Some(false) {
            set_huge_pages_disabled(false);
        }
    }
}

// The kernel refuses these calls unless the unused arguments are whole zero words.
#[cfg(target_os = "linux")]
fn huge_pages_disabled() -> Option<bool> {
    // SAFETY: PR_GET_THP_DISABLE takes no pointers and only reads this process's flag.
    let zero = 0 as libc::c_ulong;
    let got = unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero) };
    (got >= 0).then_some(got != 0)
}

#[cfg(target_os = "linux")]
fn set_huge_pages_disabled(disabled: bool) {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers and only sets this process's flag; a
    // failure leaves the pages as they were, which is only slower.
    let (flag, zero) = (libc::c_ulong::from(disabled), 0 as libc::c_ulong);
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, flag, zero, zero, zero) };
}

#[cfg(not(target_os = "linux"))]
fn huge_pages_disabled() -> Option<bool> {
    None
}

#[cfg(not(target_os = "linux"))]
fn set_huge_pages_disabled(_disabled: bool) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn small_pages_last_as_long_as_any_guard() {
        let first = SmallPages::begin();
        let before = HOLDERS.lock().unwrap().1;
        if before == Some(false) {
            assert_eq!(huge_pages_disabled(), Some(true));
            let second = SmallPages::begin();
            drop(first);
            assert_eq!(
                huge_pages_disabled(),
                Some(true),
                "the second guard still holds"
            );
            drop(second);
            // Other tests may hold a guard of their own meanwhile; the count says when it is free.
            let holders = HOLDERS.lock().unwrap();
            if holders.0 == 0 {
                assert_eq!(huge_pages_disabled(), Some(false));
            }
        }
    }
}
