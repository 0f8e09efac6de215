//! Which pages the kernel backs the build's memory with: 4 KiB pages, not the 2 MiB pages
//! (transparent huge pages) the allocator would otherwise ask for.
//!
//! On a virtual machine that hands free memory back to its host (free page reporting, usual for
//! cloud machines), whole free 2 MiB blocks are exactly what was handed back, so each huge page
//! must come from the host again and is zeroed whole on first touch. Touching 1 GB of such memory
//! took 2.7–3.1 s in huge pages here and 0.55 s in small ones, which come from memory the machine
//! still holds. A build seconds after the last process freed its memory meets pages not yet
//! handed back, and there huge pages are cheaper (0.07 s against 0.28 s for 500 MB).
//!
//! A person's build (a first one, or one after editing) comes after a pause:
//! - a rebuild after one change at 1,000 reports took 0.60 s in huge pages, 0.35 s in small;
//! - a full build of 1,000 reports took 2.81–3.32 s against 2.69–2.85 s, and one of 10,000
//!   39.5–42.2 s against 36.7–37.9 s, system time falling by a third.
//!
//! Back to back, or right after another program freed gigabytes, the two were within noise of
//! each other at 1,000 and 10,000 reports.

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
