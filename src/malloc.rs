//! The server's memory: its allocator, and what glibc gives back.
//!
//! The server's Rust code allocates with mimalloc (`main.rs`). Side by
//! side on the Seoul database, CPU an answer fell by up to a sixth on most
//! reads and meeting writes answered a tenth more. It was tried twice
//! before and not kept for its memory (196–250 MB at the standings' peak);
//! now that the big answers (standings, compliance) are kept whole rather
//! than built per request, the bench's peak stays under 150 MB. SQLite
//! told to allocate with it too gained nothing and held 10–15 MB more.
//!
//! SQLite and libpq still allocate with glibc, which is tuned here, as it
//! was when the whole server used it (peak RSS at Seoul scale 170 → 135
//! MB then). glibc raises its mmap threshold each time a large block is
//! freed, so after one big block every later one comes from the heap and
//! stays in the process: a fixed threshold keeps large blocks in their own
//! mappings, returned on free, and heap tops above a few MB are trimmed.
//! And two arenas per core instead of glibc's eight: each of the many
//! blocking threads would otherwise keep an arena of its own, with what it
//! freed. The glibc variables (`MALLOC_ARENA_MAX`, …) still win when set.

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn give_back_large_blocks() {
    const MMAP_THRESHOLD: libc::c_int = 1 << 20;
    const TRIM_THRESHOLD: libc::c_int = 4 << 20;
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: mallopt only sets allocator parameters; called before
        // any other thread exists.
        unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) };
    }
    if std::env::var_os("MALLOC_TRIM_THRESHOLD_").is_none() {
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD) };
    }
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = libc::c_int::try_from(2 * cores).unwrap_or(libc::c_int::MAX);
        // SAFETY: as above.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn give_back_large_blocks() {}
