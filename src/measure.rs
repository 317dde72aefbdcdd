//! What a build costs: with `TEBIKI_TIMINGS` set, how long each stage took and the memory in use
//! (printed to stderr); and handing the memory a finished stage freed back to the system.

use std::cell::Cell;
use std::time::Instant;

/// Prints each stage's time when `TEBIKI_TIMINGS` is set.
pub struct Timer {
    on: bool,
    last: Cell<Instant>,
}

impl Timer {
    pub fn new() -> Timer {
        Timer { on: std::env::var_os("TEBIKI_TIMINGS").is_some(), last: Cell::new(Instant::now()) }
    }

    /// Prints the time since the last lap (or the start) for `stage`.
    pub fn lap(&self, stage: &str) {
        if self.on {
            let now = Instant::now();
            let ms = (now - self.last.get()).as_secs_f64() * 1000.0;
            eprintln!("timing: {stage}: {ms:.1} ms{}", memory_in_use());
            self.last.set(now);
        }
    }
}

impl Default for Timer {
    fn default() -> Self {
        Timer::new()
    }
}

/// The process's resident and peak memory, where the system tells (Linux).
fn memory_in_use() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        let value = status.lines().find_map(|l| l.strip_prefix(name))?;
        Some(value.trim().trim_end_matches(" kB").trim().parse::<u64>().unwrap_or(0) / 1024)
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(now), Some(peak)) => format!(" ({now} MB in use, peak {peak} MB)"),
        _ => String::new(),
    }
}

/// Hands the memory that finished work freed back to the system. glibc keeps freed memory in each
/// thread's heap, where later work of other sizes seldom reuses it: without this, a language's
/// slide bodies and pages would stay counted while the next stage grows on top (at 10,000 slides a
/// language, the build's peak went from 380 MB to 500 MB). Called between stages of a build (not
/// in `serve`, which keeps its memo anyway and wants its milliseconds); elsewhere it does nothing.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system; memory in use is not touched.
    unsafe {
        libc::malloc_trim(0);
    }
}
